import Testing
@testable import CRC64

@Suite struct CombineTests {
    @Test func randomSplitsIncludingEmptyParts() {
        var random = TestBytes(seed: 0x5EED_0006)
        let data = random.bytes(200_000)
        let whole = BitwiseCRC.checksum(data, reflectedPolynomial: Catalogue.xzReflected)
        for _ in 0..<100 {
            var cuts = (0..<Int(random.next() % 8)).map { _ in Int(random.next() % UInt64(data.count + 1)) }
            cuts += [0, data.count, cuts.first ?? 0]  // repeated cuts make empty parts
            cuts.sort()
            var combined: UInt64 = 0
            for (start, end) in zip(cuts, cuts.dropFirst()) {
                combined = CRC64.xz.combine(combined, CRC64.xz.checksum(data[start..<end]), lengthOfB: end - start)
            }
            #expect(combined == whole)
        }
    }

    @Test func emptySecondPartIsIdentity() {
        #expect(CRC64.xz.combine(0x1234_5678_9ABC_DEF0, 0, lengthOfB: 0) == 0x1234_5678_9ABC_DEF0)
    }

    /// Lengths far beyond what a test can hash, checked against zlib's matrix method.
    @Test(arguments: [
        1, 15, 16, 17, 1 << 20, (1 << 32) - 1, 1 << 32, (1 << 32) + 1, (1 << 40) - 3, 1 << 40,
        (1 << 40) + 12_345, 0x0123_4567_89AB_CDEF, (1 << 63) - 1, 1 << 63, UInt64.max,
    ] as [UInt64])
    func largeLengthsAgreeWithMatrixMethod(length: UInt64) {
        var random = TestBytes(seed: length)
        for (variant, polynomial) in [(CRC64.xz, Catalogue.xzReflected), (CRC64.nvme, Catalogue.nvmeReflected)] {
            let a = random.next(), b = random.next()
            let expected = matrixCombine(a, b, lengthOfB: length, reflectedPolynomial: polynomial)
            #expect(variant.combine(a, b, lengthOfB: length) == expected, "\(variant) length \(length)")
        }
    }

    /// CRCs of long runs of zeros built two ways must agree: by doubling, and by adding the
    /// pieces in another order.
    @Test func zerosAround2To32And2To40ByIdentity() {
        let mebibyte = 1 << 20
        let zeros = [UInt8](repeating: 0, count: mebibyte)
        let z20 = CRC64.xz.checksum(zeros)  // computed by the kernel over real bytes
        var z = z20
        var length = UInt64(mebibyte)
        var powers = [length: z]
        while length < 1 << 40 {
            z = CRC64.xz.combine(z, z, lengthOfB: length)
            length *= 2
            powers[length] = z
        }
        let z32 = powers[1 << 32]!, z40 = powers[1 << 40]!
        #expect(CRC64.xz.combine(z32, z20, lengthOfB: UInt64(mebibyte)) == CRC64.xz.combine(z20, z32, lengthOfB: 1 << 32))
        #expect(CRC64.xz.combine(z40, z32, lengthOfB: 1 << 32) == CRC64.xz.combine(z32, z40, lengthOfB: 1 << 40))
        // A hashed 4 MiB of zeros equals the doubling chain's value.
        #expect(CRC64.xz.checksum([UInt8](repeating: 0, count: 4 * mebibyte)) == powers[4 << 20])
    }

    @Test func carrylessAndPortableShiftAgree() {
        var random = TestBytes(seed: 0x5EED_0007)
        guard CRC64Kernel.hasCarrylessMultiply else { return }
        for _ in 0..<1000 {
            let value = random.next(), count = random.next() >> (random.next() % 64)
            let xz = CRC64.xz
            #expect(xz.shift(value, byteCount: count, carryless: true) == xz.shift(value, byteCount: count, carryless: false))
        }
    }
}
