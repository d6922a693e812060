import CCRC64
import Testing
@testable import CRC64

/// The built-in variants use constants generated at build time
/// (`scripts/generate-crc64-constants.sh`). They must be, byte for byte, what
/// `ccrc64_constants_init` builds for a variant declared at run time: a stale or hand-edited
/// file would otherwise go unnoticed until some length hit a wrong fold constant.
@Suite struct BuiltinConstantsTests {
    @Test(arguments: [CRC64.xz, CRC64.nvme])
    func generatedConstantsAreWhatInitBuilds(builtin: CRC64) {
        let declared = CRC64(name: builtin.name, polynomial: builtin.polynomial)
        #expect(builtin.tables == nil, "a built-in variant should not build tables at run time")
        let size = MemoryLayout<ccrc64_constants>.size
        let generated = UnsafeRawBufferPointer(start: builtin.constants, count: size)
        let computed = UnsafeRawBufferPointer(start: declared.constants, count: size)
        let equal = generated.elementsEqual(computed)
        #expect(equal, "Sources/CCRC64/builtin_constants.c is stale for \(builtin.name): run scripts/generate-crc64-constants.sh")
        #expect(builtin == declared)
    }

    @Test func builtinsAgreeWithRuntimeDeclarationsOnEveryShortLength() {
        // Each length below 600 bytes takes a different mix of fold constants and tail.
        let bytes = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        let xz = CRC64(name: "xz at run time", polynomial: 0x42F0_E1EB_A9EA_3693)
        let nvme = CRC64(name: "nvme at run time", polynomial: 0xAD93_D235_94C9_3659)
        for n in 0...bytes.count {
            #expect(CRC64.xz.checksum(bytes[..<n]) == xz.checksum(bytes[..<n]))
            #expect(CRC64.nvme.checksum(bytes[..<n]) == nvme.checksum(bytes[..<n]))
        }
    }

    @Test func dispatchedEntryPointRunsTheBestKernel() {
        #expect(CRC64Kernel.best == CRC64Kernel(name: CRC64Kernel.best.name))
        #expect(CRC64Kernel.best.isSupported)
        let bytes = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        bytes.withUnsafeBytes { raw in
            #expect(CRC64.xz.checksum(raw) == CRC64.xz.checksum(raw, kernel: .best))
            #expect(CRC64.xz.checksum(raw) == CRC64.xz.checksum(raw, kernel: .portable))
        }
    }
}
