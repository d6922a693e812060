import OSSProtocol
import Testing

/// CRC-32 and CRC-32C against published check values and a bit-at-a-time reference written here
/// from the definition, so no expected value comes from the tables under test.
@Suite("CRC-32 and CRC-32C")
struct CRC32Tests {
    /// The catalogue check values (CRC RevEng: CRC-32/ISO-HDLC and CRC-32/ISCSI) of "123456789".
    @Test("the catalogue check values of \"123456789\"", arguments: [
        (CRC32.Variant.ieee, UInt32(0xCBF4_3926)), (.castagnoli, 0xE306_9283),
    ])
    func checkValues(variant: CRC32.Variant, expected: UInt32) {
        #expect(CRC32.checksum(Array("123456789".utf8), variant: variant) == expected)
    }

    @Test("the CRC of no bytes is zero", arguments: CRC32.Variant.allCases)
    func emptyInputIsZero(variant: CRC32.Variant) {
        #expect(CRC32.checksum([UInt8](), variant: variant) == 0)
    }

    /// RFC 3720 (iSCSI), appendix B.4: CRC-32C of 32-byte patterns.
    static let rfc3720Vectors: [([UInt8], UInt32)] = [
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ((0..<32).map { UInt8($0) }, 0x46DD_794E),
        ((0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),
    ]

    @Test("RFC 3720's CRC-32C vectors", arguments: CRC32Tests.rfc3720Vectors)
    func castagnoliRFC3720Vectors(bytes: [UInt8], expected: UInt32) {
        #expect(CRC32.checksum(bytes, variant: .castagnoli) == expected)
    }

    /// zlib's `crc32` of the pangram, and the CRC-32C that Amazon's trailer example sends for 66,560
    /// bytes of `a` (`x-amz-checksum-crc32c:sOO8/Q==`).
    @Test("zlib's CRC-32 of the pangram and Amazon's CRC-32C trailer value")
    func publishedValues() {
        let pangram = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(pangram, variant: .ieee) == 0x414F_A339)
        #expect(CRC32.checksum([UInt8](repeating: 0x61, count: 66_560), variant: .castagnoli) == 0xB0E3_BCFD)
    }

    /// Every length from 0 to 300 at every start offset mod 8, so each tail length and alignment of
    /// the sliced loop is compared with the reference.
    @Test("every length and alignment matches the bitwise reference", arguments: CRC32.Variant.allCases, 0..<8)
    func matchesBitwiseReference(variant: CRC32.Variant, offset: Int) {
        var generator = TestRandom(seed: 1)
        let bytes = (0..<400).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for length in 0...300 {
            let slice = Array(bytes[offset..<(offset + length)])
            #expect(CRC32.checksum(slice, variant: variant) == Self.reference(slice, variant), "length \(length)")
        }
    }

    @Test("hashing in pieces equals one pass", arguments: CRC32.Variant.allCases)
    func streamingInPiecesEqualsOnePass(variant: CRC32.Variant) {
        var generator = TestRandom(seed: 2)
        let bytes = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var crc = CRC32(variant)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int(generator.next() % 97))
            bytes[start..<end].withUnsafeBytes { crc.update($0) }
            start = end
        }
        #expect(crc.value == Self.reference(bytes, variant))
    }

    /// A sequence without contiguous storage goes through the blocked path.
    @Test("a non-contiguous sequence", arguments: CRC32.Variant.allCases)
    func nonContiguousSequence(variant: CRC32.Variant) {
        let lazyBytes = (0..<10_000).lazy.map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(CRC32.checksum(lazyBytes, variant: variant) == Self.reference(Array(lazyBytes), variant))
    }

    @Test("resuming from a stored checksum", arguments: CRC32.Variant.allCases)
    func resumingFromAStoredChecksum(variant: CRC32.Variant) {
        let first = Array("hello, ".utf8)
        let second = Array("world".utf8)
        var crc = CRC32(variant, resumingFrom: CRC32.checksum(first, variant: variant))
        crc.update(second)
        #expect(crc.value == Self.reference(first + second, variant))
    }

    @Test("combining the CRCs of two pieces equals one pass", arguments: CRC32.Variant.allCases)
    func combineEqualsOnePassForRandomSplits(variant: CRC32.Variant) {
        var generator = TestRandom(seed: 3)
        let bytes = (0..<5000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for _ in 0..<200 {
            let split = Int(generator.next() % UInt64(bytes.count + 1))
            let crcA = CRC32.checksum(bytes[..<split], variant: variant)
            let crcB = CRC32.checksum(bytes[split...], variant: variant)
            #expect(
                CRC32.combine(crcA, crcB, lengthB: bytes.count - split, variant: variant)
                    == Self.reference(bytes, variant), "split at \(split)")
        }
    }

    @Test("combining with an empty piece", arguments: CRC32.Variant.allCases)
    func combineWithEmptyPieces(variant: CRC32.Variant) {
        let bytes = Array("123456789".utf8)
        let whole = Self.reference(bytes, variant)
        #expect(CRC32.combine(whole, 0, lengthB: 0, variant: variant) == whole)
        #expect(CRC32.combine(0, whole, lengthB: bytes.count, variant: variant) == whole)
    }

    /// Lengths far beyond what a test can hash (up to 2^62 bytes) cannot be compared with one pass;
    /// combining is associative for any values, which exercises every power the combine uses.
    @Test("combining is associative for huge lengths", arguments: CRC32.Variant.allCases)
    func combineIsAssociativeForHugeLengths(variant: CRC32.Variant) {
        var generator = TestRandom(seed: 4)
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
            #expect(left == right, "lengths \(lengthB) and \(lengthC)")
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
