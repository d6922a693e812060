#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import CRC64

/// The dual hasher against two single hashers with the same kernel, for every kernel this CPU
/// runs (the single kernels are checked against the bit-by-bit reference in KernelTests).
@Suite struct DualCRC64Tests {
    @Test(arguments: CRC64Kernel.supported)
    func checkValues(kernel: CRC64Kernel) {
        var hasher = DualCRC64Hasher(kernel: kernel)
        hasher.update("123456789".utf8)
        #expect(ChecksumPair(hasher.checksums) == ChecksumPair((0x995D_C9BB_DF19_39FA, 0xAE8B_1486_0A79_9888)))
        #expect(hasher.byteCount == 9)
        #expect(ChecksumPair(DualCRC64Hasher(kernel: kernel).checksums) == ChecksumPair((0, 0)))
    }

    /// Every x86_64 vector kernel has a dual form: without one, the second CRC costs a second pass.
    @Test func fusedWhereAFusedKernelExists() {
        #expect(!DualCRC64Hasher(kernel: .portable).isFused)
        #if arch(x86_64)
        for kernel in [CRC64Kernel.pclmul, .vpclmulAVX2, .vpclmulAVX512] where kernel.isSupported {
            #expect(DualCRC64Hasher(kernel: kernel).isFused, "\(kernel)")
        }
        #endif
    }

    /// Lengths 0...5120, each at alignments around the 16-, 32- and 64-byte boundaries: the
    /// kernels run the single kernel twice below 2 KiB, and the lengths above it end in every
    /// remainder of the dual loops' rounds (at most 256 bytes).
    @Test(arguments: CRC64Kernel.supported)
    func everyLengthUpTo5KiBAtSeveralAlignments(kernel: CRC64Kernel) {
        var random = TestBytes(seed: 0x5EED_D0A1)
        let maximum = 5120
        let data = random.bytes(maximum)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maximum + 64, alignment: 64)
        defer { buffer.deallocate() }
        var failures = 0
        for alignment in [0, 1, 8, 15, 16, 31, 33, 63] {
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[alignment..<alignment + maximum])
            data.withUnsafeBytes { target.copyMemory(from: $0) }
            for length in 0...maximum {
                let bytes = UnsafeRawBufferPointer(rebasing: target[0..<length])
                let (got, expected) = (dual(bytes, kernel), singles(bytes, kernel))
                if got != expected {
                    failures += 1
                    if failures <= 5 {
                        Issue.record("\(kernel): length \(length) alignment \(alignment): got \(got), expected \(expected)")
                    }
                }
            }
        }
        #expect(failures == 0, "\(kernel): \(failures) mismatches in lengths 0...\(maximum)")
    }

    @Test(arguments: CRC64Kernel.supported)
    func randomSplitsEqualOneShot(kernel: CRC64Kernel) {
        var random = TestBytes(seed: 0x5EED_D0A2)
        let data = random.bytes(300_000)
        let expected = data.withUnsafeBytes { singles($0, kernel) }
        for _ in 0..<50 {
            var hasher = DualCRC64Hasher(kernel: kernel)
            var position = 0
            while position < data.count {
                // Mostly small pieces, sometimes large, sometimes empty.
                let piece = [0, 1, 7, 15, 16, 17, 127, 128, 255, 256, 4096, 65_537][Int(random.next() % 12)]
                let end = min(data.count, position + piece + Int(random.next() % 64))
                data[position..<end].withUnsafeBytes { hasher.update($0) }
                position = end
                #expect(hasher.byteCount == UInt64(position))
            }
            #expect(ChecksumPair(hasher.checksums) == expected, "\(kernel)")
        }
    }

    /// Random lengths up to 8 MiB at changing alignments, and the boundaries of the fused loops.
    @Test(arguments: CRC64Kernel.supported)
    func largeBuffers(kernel: CRC64Kernel) {
        var random = TestBytes(seed: 0x5EED_D0A3)
        let maximum = 8 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maximum + 64, alignment: 64)
        defer { buffer.deallocate() }
        for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: random.next()) }
        var lengths = (0..<12).map { _ in Int.random(in: 4097...maximum, using: &random) }
        // Powers of two need one multiply to append the initial registers; 2^23 - 1 needs six.
        lengths += [maximum, maximum - 1, 1 << 20, (1 << 20) - 1, (1 << 20) + 1, 65_536 + 255, 8192 + 128 + 63]
        for (index, length) in lengths.enumerated() {
            let alignment = (index * 13) % 64
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[alignment..<alignment + length])
            #expect(dual(bytes, kernel) == singles(bytes, kernel), "\(kernel): length \(length) alignment \(alignment)")
        }
    }

    /// The dual loops read exactly the bytes they are given: inputs that end right before an
    /// unmapped page (or start right after one) must not fault, whatever the length.
    @Test(arguments: CRC64Kernel.supported)
    func inputsBesideUnmappedPages(kernel: CRC64Kernel) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = (8192 + page - 1) / page * page
        // Guard page, data, guard page.
        guard let region = mmap(nil, size + 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            region != MAP_FAILED
        else {
            Issue.record("mmap failed")
            return
        }
        defer { munmap(region, size + 2 * page) }
        let data = region + page
        for index in 0..<size { data.storeBytes(of: UInt8(truncatingIfNeeded: index &* 151 &+ 7), toByteOffset: index, as: UInt8.self) }
        #expect(mprotect(region, page, PROT_NONE) == 0)
        #expect(mprotect(data + size, page, PROT_NONE) == 0)
        for length in Array(1900...2400) + [4095, 4096, 6143, 8191, 8192] {
            let atEnd = UnsafeRawBufferPointer(start: data + size - length, count: length)
            let atStart = UnsafeRawBufferPointer(start: data, count: length)
            for buffer in [atEnd, atStart] {
                #expect(dual(buffer, kernel) == singles(buffer, kernel), "\(kernel) length \(length)")
            }
        }
    }

    @Test(arguments: CRC64Kernel.supported)
    func resumingFromStoredChecksumsContinuesBothStreams(kernel: CRC64Kernel) {
        var random = TestBytes(seed: 0x5EED_D0A4)
        let a = random.bytes(12_345), b = random.bytes(54_321)
        var hasher = DualCRC64Hasher(resumingFrom: (CRC64.xz.checksum(a), CRC64.nvme.checksum(a)), kernel: kernel)
        hasher.update(b)
        #expect(ChecksumPair(hasher.checksums) == (a + b).withUnsafeBytes { singles($0, kernel) })
        #expect(hasher.byteCount == UInt64(b.count))
    }

    /// Any two variants, in either order, the same one twice, and one declared at run time (whose
    /// constants live elsewhere than the built-in ones).
    @Test(arguments: CRC64Kernel.supported)
    func anyPairOfVariants(kernel: CRC64Kernel) {
        let goISO = CRC64(name: "CRC-64/GO-ISO", polynomial: 0x1B)
        var random = TestBytes(seed: 0x5EED_D0A5)
        let data = random.bytes(100_003)
        for (first, second) in [(CRC64.nvme, CRC64.xz), (.xz, .xz), (goISO, .nvme)] {
            var hasher = DualCRC64Hasher(first, second, kernel: kernel)
            hasher.update(data)
            #expect(ChecksumPair(hasher.checksums) == ChecksumPair((first.checksum(data), second.checksum(data))), "\(kernel): \(first), \(second)")
            var check = DualCRC64Hasher(first, second, kernel: kernel)
            check.update("123456789".utf8)
            #expect(check.checksums.first == first.checksum("123456789".utf8))
        }
    }

    @Test func nonContiguousSequencesAreHashed() {
        var random = TestBytes(seed: 0x5EED_D0A6)
        let data = random.bytes(10_000)
        var hasher = DualCRC64Hasher()
        hasher.update(data.lazy.map { $0 })  // no contiguous storage
        #expect(ChecksumPair(hasher.checksums) == ChecksumPair((CRC64.xz.checksum(data), CRC64.nvme.checksum(data))))
    }

    func dual(_ bytes: UnsafeRawBufferPointer, _ kernel: CRC64Kernel) -> ChecksumPair {
        var hasher = DualCRC64Hasher(.xz, .nvme, kernel: kernel)
        hasher.update(bytes)
        return ChecksumPair(hasher.checksums)
    }

    func singles(_ bytes: UnsafeRawBufferPointer, _ kernel: CRC64Kernel) -> ChecksumPair {
        var xz = CRC64Hasher(.xz, kernel: kernel), nvme = CRC64Hasher(.nvme, kernel: kernel)
        xz.update(bytes)
        nvme.update(bytes)
        return ChecksumPair((xz.checksum, nvme.checksum))
    }
}

/// Two checksums that `#expect` can compare and print (a tuple is neither Equatable nor printable there).
struct ChecksumPair: Equatable, CustomStringConvertible {
    let first: UInt64, second: UInt64

    init(_ checksums: (UInt64, UInt64)) {
        (first, second) = checksums
    }

    var description: String { "(0x\(String(first, radix: 16)), 0x\(String(second, radix: 16)))" }
}
