import Testing
@testable import CRC64

/// Every kernel against the bit-by-bit reference. One test per kernel so the output names
/// each kernel and says plainly when the CPU lacks one.
@Suite struct KernelTests {
    @Test(.enabled(if: CRC64Kernel.portable.isSupported))
    func portable() { checkKernel(.portable) }

    @Test(.enabled(if: CRC64Kernel.pclmul.isSupported, "this CPU has no PCLMULQDQ (or this is not x86_64)"))
    func pclmul() { checkKernel(.pclmul) }

    @Test(.enabled(if: CRC64Kernel.vpclmulAVX2.isSupported, "this CPU has no VPCLMULQDQ with AVX2"))
    func vpclmulAVX2() { checkKernel(.vpclmulAVX2) }

    @Test(.enabled(if: CRC64Kernel.vpclmulAVX512.isSupported, "this CPU has no AVX-512 (F, BW, VL) with VPCLMULQDQ"))
    func vpclmulAVX512() { checkKernel(.vpclmulAVX512) }

    @Test(.enabled(if: CRC64Kernel.pmull.isSupported, "not an arm64 CPU with PMULL (scripts/test-arm64.sh runs it under qemu)"))
    func pmull() { checkKernel(.pmull) }

    @Test(.enabled(if: CRC64Kernel.pmullEOR3.isSupported, "not an arm64 CPU with PMULL and SHA3 (scripts/test-arm64.sh runs it under qemu)"))
    func pmullEOR3() { checkKernel(.pmullEOR3) }

    func checkKernel(_ kernel: CRC64Kernel) {
        for (variant, polynomial) in [(CRC64.xz, Catalogue.xzReflected), (CRC64.nvme, Catalogue.nvmeReflected)] {
            everyShortLengthAtEveryAlignment(kernel, variant, polynomial)
            longRandomLengthsAtEveryAlignment(kernel, variant, polynomial)
        }
    }

    /// Lengths 0...1024, each at alignments 0...63.
    func everyShortLengthAtEveryAlignment(_ kernel: CRC64Kernel, _ variant: CRC64, _ polynomial: UInt64) {
        var random = TestBytes(seed: 0x5EED_0001)
        let data = random.bytes(1024)
        var reference = BitwiseCRC(reflectedPolynomial: polynomial)
        var expected = [reference.checksum]
        for byte in data {
            reference.update(byte)
            expected.append(reference.checksum)
        }
        var buffer = [UInt8](repeating: 0xA5, count: 1024 + 64 + 64)
        var failures = 0
        buffer.withUnsafeMutableBytes { raw in
            let base = Int(bitPattern: raw.baseAddress!)
            let aligned = (64 - base % 64) % 64  // offset of the first 64-byte boundary
            for alignment in 0..<64 {
                let start = aligned + alignment
                for (i, byte) in data.enumerated() { raw[start + i] = byte }
                for length in 0...1024 {
                    var hasher = CRC64Hasher(variant, kernel: kernel)
                    hasher.update(UnsafeRawBufferPointer(rebasing: raw[start..<start + length]))
                    if hasher.checksum != expected[length] {
                        failures += 1
                        if failures <= 5 {
                            Issue.record("\(kernel) \(variant): length \(length) alignment \(alignment): got \(hasher.checksum), expected \(expected[length])")
                        }
                    }
                }
            }
        }
        #expect(failures == 0, "\(kernel) \(variant): \(failures) mismatches in lengths 0...1024 x alignments 0...63")
    }

    /// One random length up to 4 MiB at each alignment 0...63, plus the boundary lengths of the
    /// wide kernels' loops.
    func longRandomLengthsAtEveryAlignment(_ kernel: CRC64Kernel, _ variant: CRC64, _ polynomial: UInt64) {
        var random = TestBytes(seed: 0x5EED_0002)
        let maximum = 4 << 20
        let data = random.bytes(maximum)
        var lengths = (0..<64).map { _ in Int.random(in: 1025...maximum, using: &random) }
        lengths += [4 << 20, 1 << 20, 1 << 20 - 1, 4096 + 255, 512 + 1, 256 + 63]
        let sortedLengths = Set(lengths).sorted()
        var expected = [Int: UInt64]()
        var reference = BitwiseCRC(reflectedPolynomial: polynomial)
        var consumed = 0
        for length in sortedLengths {
            reference.update(data[consumed..<length])
            consumed = length
            expected[length] = reference.checksum
        }
        data.withUnsafeBytes { source in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maximum + 64, alignment: 64)
            defer { buffer.deallocate() }
            for (index, length) in lengths.enumerated() {
                let alignment = index % 64
                let target = UnsafeMutableRawBufferPointer(rebasing: buffer[alignment..<alignment + length])
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<length]))
                var hasher = CRC64Hasher(variant, kernel: kernel)
                hasher.update(UnsafeRawBufferPointer(target))
                #expect(hasher.checksum == expected[length], "\(kernel) \(variant): length \(length) alignment \(alignment)")
            }
        }
    }
}
