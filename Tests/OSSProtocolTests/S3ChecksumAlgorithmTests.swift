import OSSProtocol
import Testing

/// S3's checksum names and header values. Expected base64 values were computed apart from this
/// code (Python's `zlib`, `hashlib` and `base64`), or are the CRC catalogue's check values.
@Suite("S3 checksum algorithms and header values")
struct S3ChecksumAlgorithmTests {
    @Test("the wire names, header names and digest lengths")
    func wireNames() {
        #expect(S3ChecksumAlgorithm.allCases.map(\.rawValue) == ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"])
        #expect(
            S3ChecksumAlgorithm.allCases.map(\.headerName) == [
                "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1",
                "x-amz-checksum-sha256",
            ])
        #expect(S3ChecksumAlgorithm.allCases.map(\.digestLength) == [4, 4, 8, 20, 32])
        #expect(S3ChecksumType.fullObject.rawValue == "FULL_OBJECT")
        #expect(S3ChecksumType.composite.rawValue == "COMPOSITE")
    }

    @Test("x-amz-checksum-algorithm is read trimmed and in any case")
    func parsingTheAlgorithmHeader() {
        #expect(S3ChecksumAlgorithm(algorithmName: "CRC32C") == .crc32c)
        #expect(S3ChecksumAlgorithm(algorithmName: " crc64nvme ") == .crc64nvme)
        #expect(S3ChecksumAlgorithm(algorithmName: "Sha256") == .sha256)
        #expect(S3ChecksumAlgorithm(algorithmName: "MD5") == nil)
        #expect(S3ChecksumAlgorithm(algorithmName: "CRC-32") == nil)
    }

    @Test("the algorithm of an x-amz-checksum-* header")
    func findingTheAlgorithmOfAHeader() {
        #expect(S3ChecksumAlgorithm(headerName: "X-Amz-Checksum-CRC32") == .crc32)
        #expect(S3ChecksumAlgorithm(headerName: "x-amz-checksum-sha1") == .sha1)
        #expect(S3ChecksumAlgorithm(headerName: "x-amz-checksum-algorithm") == nil)
        #expect(S3ChecksumAlgorithm(headerName: "x-amz-checksum-md5") == nil)
    }

    @Test("header values decode to the digest")
    func parsingValues() throws {
        // zlib.crc32(b"hello") = 0x3610A686.
        #expect(try S3ChecksumAlgorithm.crc32.digest(fromHeaderValue: "NhCmhg==") == [0x36, 0x10, 0xA6, 0x86])
        // Amazon's trailer example: CRC-32C of 66,560 bytes of "a".
        #expect(try S3ChecksumAlgorithm.crc32c.digest(fromHeaderValue: " sOO8/Q== ") == [0xB0, 0xE3, 0xBC, 0xFD])
        #expect(
            try S3ChecksumAlgorithm.sha256.digest(fromHeaderValue: "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
                == Self.bytes(hex: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"))
    }

    @Test("a value of the wrong length is refused with the length it has")
    func rejectingAValueOfTheWrongLength() {
        // A CRC-32 value sent as SHA-256, and a SHA-1 value sent as CRC-32C.
        let crcAsSHA256 = #expect(throws: S3ChecksumValueError.self) {
            try S3ChecksumAlgorithm.sha256.digest(fromHeaderValue: "NhCmhg==")
        }
        #expect(crcAsSHA256?.algorithm == .sha256)
        #expect(crcAsSHA256?.value == "NhCmhg==")
        #expect(crcAsSHA256?.reason == .wrongLength(4))
        let sha1AsCRC32C = #expect(throws: S3ChecksumValueError.self) {
            try S3ChecksumAlgorithm.crc32c.digest(fromHeaderValue: "qvTGHdzF6KLavt4PO0gs2a6pQ00=")
        }
        #expect(sha1AsCRC32C?.reason == .wrongLength(20))
        let empty = #expect(throws: S3ChecksumValueError.self) { try S3ChecksumAlgorithm.crc32.digest(fromHeaderValue: "") }
        #expect(empty?.reason == .wrongLength(0))
    }

    @Test("text that is not base64 is refused, naming the header", arguments: ["NhCmhg", "NhC!hg==", "36 10 a6 86"])
    func rejectingTextThatIsNotBase64(value: String) {
        let error = #expect(throws: S3ChecksumValueError.self) { try S3ChecksumAlgorithm.crc32.digest(fromHeaderValue: value) }
        #expect(error?.reason == .notBase64)
        #expect(error?.message.contains("x-amz-checksum-crc32") == true)
    }

    @Test("CRCs and digests render as S3 sends them")
    func renderingValues() {
        #expect(S3ChecksumAlgorithm.crc32.headerValue(crc: 0x3610_A686) == "NhCmhg==")
        #expect(S3ChecksumAlgorithm.crc32c.headerValue(crc: 0xB0E3_BCFD) == "sOO8/Q==")
        // CRC-64/NVME check value of "123456789".
        #expect(S3ChecksumAlgorithm.crc64nvme.headerValue(crc: 0xAE8B_1486_0A79_9888) == "rosUhgp5mIg=")
        #expect(
            S3ChecksumAlgorithm.sha1.headerValue(digest: Self.bytes(hex: "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"))
                == "qvTGHdzF6KLavt4PO0gs2a6pQ00=")
        #expect(S3ChecksumAlgorithm.crc32.headerValue(crc: 0x3610_A686, partCount: 3) == "NhCmhg==-3")
    }

    @Test("a CRC's header value reads back as the integer; other lengths are refused")
    func crcValues() throws {
        #expect(try S3ChecksumAlgorithm.crc64nvme.crc(fromHeaderValue: "rosUhgp5mIg=") == 0xAE8B_1486_0A79_9888)
        #expect(try S3ChecksumAlgorithm.crc32.crc(fromHeaderValue: " NhCmhg== ") == 0x3610_A686)
        #expect(throws: S3ChecksumValueError.self) { try S3ChecksumAlgorithm.crc64nvme.crc(fromHeaderValue: "NhCmhg==") }
    }

    @Test("a rendered value reads back as its digest", arguments: S3ChecksumAlgorithm.allCases)
    func valuesRoundTrip(algorithm: S3ChecksumAlgorithm) throws {
        let digest = (0..<algorithm.digestLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        #expect(try algorithm.digest(fromHeaderValue: algorithm.headerValue(digest: digest)) == digest)
    }

    @Test("the CRC of a body as its header value")
    func crc32OfABodyAsAHeaderValue() {
        let body = [UInt8](repeating: 0x61, count: 66_560)
        #expect(S3ChecksumAlgorithm.crc32c.headerValue(crc: UInt64(CRC32.checksum(body, variant: .castagnoli))) == "sOO8/Q==")
        // Python: base64.b64encode(zlib.crc32(b"a" * 66560).to_bytes(4, "big")).
        #expect(S3ChecksumAlgorithm.crc32.headerValue(crc: UInt64(CRC32.checksum(body, variant: .ieee))) == "sK4Y7A==")
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
        }
    }
}
