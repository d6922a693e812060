#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CRC64
import Testing

/// Every kernel reads exactly the bytes it is given: inputs that end right before an unmapped page
/// (or start right after one) must not fault, whatever the length.
@Suite("Kernels never read outside their input")
struct GuardPageTests {
    @Test(arguments: CRC64Kernel.supported)
    func inputsBesideUnmappedPages(kernel: CRC64Kernel) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // Three pages: guard, data, guard.
        guard let region = mmap(nil, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            region != MAP_FAILED
        else {
            Issue.record("mmap failed")
            return
        }
        defer { munmap(region, 3 * page) }
        let data = region + page
        for index in 0..<page { data.storeBytes(of: UInt8(truncatingIfNeeded: index &* 151 &+ 7), toByteOffset: index, as: UInt8.self) }
        #expect(mprotect(region, page, PROT_NONE) == 0)
        #expect(mprotect(data + page, page, PROT_NONE) == 0)
        for length in Array(0...300) + [511, 512, 513, 1023, 1024, 2047, page - 1, page] {
            // Ending at the guard page after the data, then starting at the data's first byte.
            let atEnd = UnsafeRawBufferPointer(start: data + page - length, count: length)
            let atStart = UnsafeRawBufferPointer(start: data, count: length)
            for buffer in [atEnd, atStart] {
                let expected = BitwiseCRC.checksum(buffer, reflectedPolynomial: Catalogue.xzReflected)
                #expect(CRC64.xz.checksum(buffer, kernel: kernel) == expected, "\(kernel) length \(length)")
            }
        }
    }
}
