import XCTest

@testable import OSSProtocol

/// S3's checksum names and header values. Expected base64 values were computed apart from this
/// code (Python's `zlib`, `hashlib` and `base64`), or are the CRC catalogue's check values.
final class S3ChecksumAlgorithmTests: XCTestCase {
    func testWireNames() {
        XCTAssertEqual(
            S3ChecksumAlgorithm.allCases.map(\.rawValue), ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"])
        XCTAssertEqual(
            S3ChecksumAlgorithm.allCases.map(\.headerName),
            [
                "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1",
                "x-amz-checksum-sha256",
            ])
        XCTAssertEqual(S3ChecksumAlgorithm.allCases.map(\.digestLength), [4, 4, 8, 20, 32])
        XCTAssertEqual(S3ChecksumType.fullObject.rawValue, "FULL_OBJECT")
        XCTAssertEqual(S3ChecksumType.composite.rawValue, "COMPOSITE")
    }

    func testParsingTheAlgorithmHeader() {
        XCTAssertEqual(S3ChecksumAlgorithm(algorithmName: "CRC32C"), .crc32c)
        XCTAssertEqual(S3ChecksumAlgorithm(algorithmName: " crc64nvme "), .crc64nvme)
        XCTAssertEqual(S3ChecksumAlgorithm(algorithmName: "Sha256"), .sha256)
        XCTAssertNil(S3ChecksumAlgorithm(algorithmName: "MD5"))
        XCTAssertNil(S3ChecksumAlgorithm(algorithmName: "CRC-32"))
    }

    func testFindingTheAlgorithmOfAHeader() {
        XCTAssertEqual(S3ChecksumAlgorithm(headerName: "X-Amz-Checksum-CRC32"), .crc32)
        XCTAssertEqual(S3ChecksumAlgorithm(headerName: "x-amz-checksum-sha1"), .sha1)
        XCTAssertNil(S3ChecksumAlgorithm(headerName: "x-amz-checksum-algorithm"))
        XCTAssertNil(S3ChecksumAlgorithm(headerName: "x-amz-checksum-md5"))
    }

    func testParsingValues() throws {
        // zlib.crc32(b"hello") = 0x3610A686.
        XCTAssertEqual(try S3ChecksumAlgorithm.crc32.digest(fromHeaderValue: "NhCmhg=="), [0x36, 0x10, 0xA6, 0x86])
        // Amazon's trailer example: CRC-32C of 66,560 bytes of "a".
        XCTAssertEqual(try S3ChecksumAlgorithm.crc32c.digest(fromHeaderValue: " sOO8/Q== "), [0xB0, 0xE3, 0xBC, 0xFD])
        XCTAssertEqual(
            try S3ChecksumAlgorithm.sha256.digest(fromHeaderValue: "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="),
            Self.bytes(hex: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"))
    }

    func testRejectingAValueOfTheWrongLength() {
        // A CRC-32 value sent as SHA-256, and a SHA-1 value sent as CRC-32C.
        XCTAssertThrowsError(try S3ChecksumAlgorithm.sha256.digest(fromHeaderValue: "NhCmhg==")) { error in
            XCTAssertEqual(
                error as? S3ChecksumValueError,
                S3ChecksumValueError(algorithm: .sha256, value: "NhCmhg==", reason: .wrongLength(4)))
        }
        XCTAssertThrowsError(try S3ChecksumAlgorithm.crc32c.digest(fromHeaderValue: "qvTGHdzF6KLavt4PO0gs2a6pQ00=")) {
            error in
            XCTAssertEqual((error as? S3ChecksumValueError)?.reason, .wrongLength(20))
        }
        XCTAssertThrowsError(try S3ChecksumAlgorithm.crc32.digest(fromHeaderValue: "")) { error in
            XCTAssertEqual((error as? S3ChecksumValueError)?.reason, .wrongLength(0))
        }
    }

    func testRejectingTextThatIsNotBase64() {
        for value in ["NhCmhg", "NhC!hg==", "36 10 a6 86"] {
            XCTAssertThrowsError(try S3ChecksumAlgorithm.crc32.digest(fromHeaderValue: value)) { error in
                XCTAssertEqual((error as? S3ChecksumValueError)?.reason, .notBase64, value)
                XCTAssertTrue((error as? S3ChecksumValueError)?.message.contains("x-amz-checksum-crc32") ?? false)
            }
        }
    }

    func testRenderingValues() {
        XCTAssertEqual(S3ChecksumAlgorithm.crc32.headerValue(crc: 0x3610_A686), "NhCmhg==")
        XCTAssertEqual(S3ChecksumAlgorithm.crc32c.headerValue(crc: 0xB0E3_BCFD), "sOO8/Q==")
        // CRC-64/NVME check value of "123456789".
        XCTAssertEqual(S3ChecksumAlgorithm.crc64nvme.headerValue(crc: 0xAE8B_1486_0A79_9888), "rosUhgp5mIg=")
        XCTAssertEqual(
            S3ChecksumAlgorithm.sha1.headerValue(digest: Self.bytes(hex: "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")),
            "qvTGHdzF6KLavt4PO0gs2a6pQ00=")
        XCTAssertEqual(S3ChecksumAlgorithm.crc32.headerValue(crc: 0x3610_A686, partCount: 3), "NhCmhg==-3")
    }

    func testValuesRoundTrip() throws {
        for algorithm in S3ChecksumAlgorithm.allCases {
            let digest = (0..<algorithm.digestLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            XCTAssertEqual(try algorithm.digest(fromHeaderValue: algorithm.headerValue(digest: digest)), digest)
        }
    }

    func testCRC32OfABodyAsAHeaderValue() {
        let body = [UInt8](repeating: 0x61, count: 66_560)
        XCTAssertEqual(
            S3ChecksumAlgorithm.crc32c.headerValue(crc: UInt64(CRC32.checksum(body, variant: .castagnoli))), "sOO8/Q==")
        // Python: base64.b64encode(zlib.crc32(b"a" * 66560).to_bytes(4, "big")).
        XCTAssertEqual(
            S3ChecksumAlgorithm.crc32.headerValue(crc: UInt64(CRC32.checksum(body, variant: .ieee))), "sK4Y7A==")
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
        }
    }
}
