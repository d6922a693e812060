import XCTest

@testable import OSSProtocol

/// CRC-32 and CRC-32C against published check values and a bit-at-a-time reference written here
/// from the definition, so no expected value comes from the tables under test.
final class CRC32Tests: XCTestCase {
    /// The catalogue check values (CRC RevEng: CRC-32/ISO-HDLC and CRC-32/ISCSI) of "123456789".
    func testCheckValues() {
        let check = Array("123456789".utf8)
        XCTAssertEqual(CRC32.checksum(check, variant: .ieee), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum(check, variant: .castagnoli), 0xE306_9283)
    }

    func testEmptyInputIsZero() {
        XCTAssertEqual(CRC32.checksum([UInt8](), variant: .ieee), 0)
        XCTAssertEqual(CRC32.checksum([UInt8](), variant: .castagnoli), 0)
    }

    /// RFC 3720 (iSCSI), appendix B.4: CRC-32C of 32-byte patterns.
    func testCastagnoliRFC3720Vectors() {
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 0, count: 32), variant: .castagnoli), 0x8A91_36AA)
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 0xFF, count: 32), variant: .castagnoli), 0x62A8_AB43)
        XCTAssertEqual(CRC32.checksum((0..<32).map { UInt8($0) }, variant: .castagnoli), 0x46DD_794E)
        XCTAssertEqual(CRC32.checksum((0..<32).reversed().map { UInt8($0) }, variant: .castagnoli), 0x113F_DB5C)
    }

    /// zlib's `crc32` of the pangram, and the CRC-32C that Amazon's trailer example sends for 66,560
    /// bytes of `a` (`x-amz-checksum-crc32c:sOO8/Q==`).
    func testPublishedValues() {
        let pangram = Array("The quick brown fox jumps over the lazy dog".utf8)
        XCTAssertEqual(CRC32.checksum(pangram, variant: .ieee), 0x414F_A339)
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 0x61, count: 66_560), variant: .castagnoli), 0xB0E3_BCFD)
    }

    /// Every length from 0 to 300 and every start offset mod 8, so each tail length and alignment of
    /// the sliced loop is compared with the reference.
    func testMatchesBitwiseReferenceAtAllLengthsAndOffsets() {
        var generator = TestRandom(seed: 1)
        let bytes = (0..<400).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for variant in CRC32.Variant.allCases {
            for offset in 0..<8 {
                for length in 0...300 {
                    let slice = Array(bytes[offset..<(offset + length)])
                    XCTAssertEqual(
                        CRC32.checksum(slice, variant: variant), Self.reference(slice, variant),
                        "\(variant), offset \(offset), length \(length)")
                }
            }
        }
    }

    func testStreamingInPiecesEqualsOnePass() {
        var generator = TestRandom(seed: 2)
        let bytes = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for variant in CRC32.Variant.allCases {
            var crc = CRC32(variant)
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int(generator.next() % 97))
                bytes[start..<end].withUnsafeBytes { crc.update($0) }
                start = end
            }
            XCTAssertEqual(crc.value, Self.reference(bytes, variant))
        }
    }

    /// A sequence without contiguous storage goes through the blocked path.
    func testNonContiguousSequence() {
        let lazyBytes = (0..<10_000).lazy.map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for variant in CRC32.Variant.allCases {
            XCTAssertEqual(CRC32.checksum(lazyBytes, variant: variant), Self.reference(Array(lazyBytes), variant))
        }
    }

    func testResumingFromAStoredChecksum() {
        let first = Array("hello, ".utf8)
        let second = Array("world".utf8)
        for variant in CRC32.Variant.allCases {
            var crc = CRC32(variant, resumingFrom: CRC32.checksum(first, variant: variant))
            crc.update(second)
            XCTAssertEqual(crc.value, Self.reference(first + second, variant))
        }
    }

    func testCombineEqualsOnePassForRandomSplits() {
        var generator = TestRandom(seed: 3)
        let bytes = (0..<5000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for variant in CRC32.Variant.allCases {
            for _ in 0..<200 {
                let split = Int(generator.next() % UInt64(bytes.count + 1))
                let crcA = CRC32.checksum(bytes[..<split], variant: variant)
                let crcB = CRC32.checksum(bytes[split...], variant: variant)
                XCTAssertEqual(
                    CRC32.combine(crcA, crcB, lengthB: bytes.count - split, variant: variant),
                    Self.reference(bytes, variant), "\(variant), split at \(split)")
            }
        }
    }

    func testCombineWithEmptyPieces() {
        let bytes = Array("123456789".utf8)
        for variant in CRC32.Variant.allCases {
            let whole = Self.reference(bytes, variant)
            XCTAssertEqual(CRC32.combine(whole, 0, lengthB: 0, variant: variant), whole)
            XCTAssertEqual(CRC32.combine(0, whole, lengthB: bytes.count, variant: variant), whole)
        }
    }

    /// Lengths far beyond what a test can hash (up to 2^62 bytes) cannot be compared with one pass;
    /// combining is associative for any values, which exercises every power the combine uses.
    func testCombineIsAssociativeForHugeLengths() {
        var generator = TestRandom(seed: 4)
        for variant in CRC32.Variant.allCases {
            for _ in 0..<50 {
                let (a, b, c) = (
                    UInt32(truncatingIfNeeded: generator.next()), UInt32(truncatingIfNeeded: generator.next()),
                    UInt32(truncatingIfNeeded: generator.next())
                )
                let lengthB = Int(generator.next() >> 2)
                let lengthC = Int(generator.next() >> 34)
                let left = CRC32.combine(
                    CRC32.combine(a, b, lengthB: lengthB, variant: variant), c, lengthB: lengthC, variant: variant)
                let right = CRC32.combine(
                    a, CRC32.combine(b, c, lengthB: lengthC, variant: variant), lengthB: lengthB + lengthC,
                    variant: variant)
                XCTAssertEqual(left, right, "\(variant), lengths \(lengthB) and \(lengthC)")
            }
        }
    }

    /// One bit at a time from the definition: reflected, initial value and final XOR all ones.
    static func reference(_ bytes: some Sequence<UInt8>, _ variant: CRC32.Variant) -> UInt32 {
        let polynomial: UInt32 = variant == .ieee ? 0xEDB8_8320 : 0x82F6_3B78
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Knuth's MMIX linear congruential generator: deterministic, so a failure repeats.
private struct TestRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}
