import Testing
import CRC64

/// Published check values and the protocol reference's vectors (computed with crcmod).
@Suite struct CheckValueTests {
    @Test func catalogueCheckValues() {
        #expect(CRC64.xz.checksum("123456789".utf8) == 0x995D_C9BB_DF19_39FA)
        #expect(CRC64.nvme.checksum("123456789".utf8) == 0xAE8B_1486_0A79_9888)
    }

    @Test func referenceAgreesWithCatalogue() {
        #expect(BitwiseCRC.checksum("123456789".utf8, reflectedPolynomial: Catalogue.xzReflected) == 0x995D_C9BB_DF19_39FA)
        #expect(BitwiseCRC.checksum("123456789".utf8, reflectedPolynomial: Catalogue.nvmeReflected) == 0xAE8B_1486_0A79_9888)
    }

    @Test(arguments: [
        ("", 0 as UInt64),
        ("a", 3_675_645_893_302_102_789),
        ("123456789", 11_051_210_869_376_104_954),
        ("hello, oss", 11_726_769_516_912_404_153),
        ("The quick brown fox jumps over the lazy dog", 6_583_902_852_472_283_588),
    ])
    func ossHeaderValues(input: String, expected: UInt64) {
        #expect(CRC64.xz.checksum(input.utf8) == expected)
        #expect(String(CRC64.xz.checksum(input.utf8)) == String(expected))
    }

    @Test func appendResumesFromStoredChecksum() {
        let first = CRC64.xz.checksum("line1\n".utf8)
        #expect(first == 17_856_904_023_843_314_350)
        var hasher = CRC64Hasher(.xz, resumingFrom: first)
        hasher.update("line2\n".utf8)
        #expect(hasher.checksum == 1_038_713_013_172_538_275)
        #expect(CRC64.xz.combine(first, CRC64.xz.checksum("line2\n".utf8), lengthOfB: 6) == 1_038_713_013_172_538_275)
    }

    @Test func multipartCombine() {
        let parts: [[UInt8]] = [
            [UInt8](repeating: UInt8(ascii: "A"), count: 102_400),
            [UInt8](repeating: UInt8(ascii: "B"), count: 102_400),
            [UInt8](repeating: UInt8(ascii: "C"), count: 7),
        ]
        let crcs = parts.map { CRC64.xz.checksum($0) }
        #expect(crcs == [9_427_277_473_487_083_924, 15_456_447_387_727_083_107, 2_590_210_805_362_472_870])
        var whole: UInt64 = 0
        for (part, crc) in zip(parts, crcs) { whole = CRC64.xz.combine(whole, crc, lengthOfB: part.count) }
        #expect(whole == 10_271_411_604_171_994_664)
        #expect(CRC64.xz.checksum(parts.joined()) == whole)
    }

    @Test func customVariantCostsOneDeclaration() {
        // CRC-64/GO-ISO from the catalogue: poly 0x1B, reflected, init and xorout all ones.
        let goISO = CRC64(name: "CRC-64/GO-ISO", polynomial: 0x1B)
        #expect(goISO.checksum("123456789".utf8) == 0xB909_56C7_75A4_1001)
        // CRC-64/REDIS: poly 0xAD93D23594C935A9, reflected, init 0, xorout 0: combine must hold
        // for init and xorout other than all ones too.
        let redis = CRC64(name: "CRC-64/REDIS", polynomial: 0xAD93_D235_94C9_35A9, initialValue: 0, finalXor: 0)
        #expect(redis.checksum("123456789".utf8) == 0xE9C6_D914_C4B8_D9CA)
        let head = redis.checksum("1234".utf8), tail = redis.checksum("56789".utf8)
        #expect(redis.combine(head, tail, lengthOfB: 5) == 0xE9C6_D914_C4B8_D9CA)
        let goHead = goISO.checksum("12345".utf8), goTail = goISO.checksum("6789".utf8)
        #expect(goISO.combine(goHead, goTail, lengthOfB: 4) == 0xB909_56C7_75A4_1001)
    }
}
