import Testing
import CRC64

@Suite struct StreamingTests {
    @Test(arguments: CRC64Kernel.supported)
    func randomSplitsEqualOneShot(kernel: CRC64Kernel) {
        var random = TestBytes(seed: 0x5EED_0003)
        let data = random.bytes(300_000)
        let expected = BitwiseCRC.checksum(data, reflectedPolynomial: Catalogue.xzReflected)
        for _ in 0..<50 {
            var hasher = CRC64Hasher(.xz, kernel: kernel)
            var position = 0
            while position < data.count {
                // Mostly small pieces, sometimes large, sometimes empty.
                let piece = [0, 1, 7, 15, 16, 17, 255, 4096, 65_537][Int(random.next() % 9)]
                let end = min(data.count, position + piece + Int(random.next() % 64))
                data[position..<end].withUnsafeBytes { hasher.update($0) }
                position = end
                #expect(hasher.byteCount == UInt64(position))
            }
            #expect(hasher.checksum == expected)
        }
    }

    @Test func resumingFromAStoredChecksumContinuesTheStream() {
        var random = TestBytes(seed: 0x5EED_0004)
        let a = random.bytes(12_345), b = random.bytes(54_321)
        var hasher = CRC64Hasher(.nvme, resumingFrom: CRC64.nvme.checksum(a))
        hasher.update(b)
        #expect(hasher.checksum == BitwiseCRC.checksum(a + b, reflectedPolynomial: Catalogue.nvmeReflected))
        #expect(CRC64Hasher(.xz, resumingFrom: 0).checksum == 0)
    }

    @Test func nonContiguousSequencesAreHashedInChunks() {
        var random = TestBytes(seed: 0x5EED_0005)
        let data = random.bytes(10_000)
        let lazy = data.lazy.map { $0 }  // no contiguous storage
        #expect(CRC64.xz.checksum(lazy) == BitwiseCRC.checksum(data, reflectedPolynomial: Catalogue.xzReflected))
    }

    @Test func checksumIsReadableMidStream() {
        var hasher = CRC64Hasher()
        hasher.update("12345".utf8)
        #expect(hasher.checksum == CRC64.xz.checksum("12345".utf8))
        hasher.update("6789".utf8)
        #expect(hasher.checksum == 0x995D_C9BB_DF19_39FA)
    }
}
