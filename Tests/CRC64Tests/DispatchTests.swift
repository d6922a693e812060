import Foundation
import Testing
import CRC64

/// Dispatch must pick the widest kernel the CPU has. The expectation is derived from the
/// kernel's own view of the CPU (/proc/cpuinfo), not from the library's detection.
@Suite struct DispatchTests {
    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        let line = info.split(separator: "\n").first { $0.hasPrefix("flags") || $0.hasPrefix("Features") }
        return Set((line?.split(separator: ":").last ?? "").split(separator: " ").map(String.init))
    }

    @Test func bestKernelIsTheWidestTheCPUHas() throws {
        let flags = Self.cpuFlags()
        try #require(!flags.isEmpty, "no /proc/cpuinfo flags to compare with")
        let expected: CRC64Kernel
        #if arch(x86_64)
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "vpclmulqdq", "avx2"]) {
            expected = .vpclmulAVX512
        } else if flags.isSuperset(of: ["vpclmulqdq", "avx2"]) {
            expected = .vpclmulAVX2
        } else if flags.isSuperset(of: ["pclmulqdq", "sse4_1"]) {
            expected = .pclmul
        } else {
            expected = .portable
        }
        #elseif arch(arm64)
        expected = flags.contains("pmull") ? (flags.contains("sha3") ? .pmullEOR3 : .pmull) : .portable
        #else
        expected = .portable
        #endif
        print("CRC-64 kernels: supported \(CRC64Kernel.supported.map(\.name)), dispatched \(CRC64Kernel.best); not on this CPU: \(CRC64Kernel.all.filter { !$0.isSupported }.map(\.name))")
        #expect(CRC64Kernel.best == expected, "dispatch picked \(CRC64Kernel.best) but this CPU allows \(expected)")
        #expect(CRC64Kernel.supported.contains(expected))
    }

    @Test func kernelNamesRoundTrip() {
        for kernel in CRC64Kernel.all {
            #expect(CRC64Kernel(name: kernel.name) == kernel)
        }
        #expect(CRC64Kernel(name: "sse9") == nil)
    }
}
