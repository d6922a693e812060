// crc64-dual-bench: what the server's second CRC costs. It computes CRC-64/XZ and CRC-64/NVME of
// every uploaded byte; this times, in CPU time of the measuring thread:
//
//   xz alone     CRC64Hasher(.xz), the cost before NVME was added
//   two passes   CRC64Hasher(.xz) then CRC64Hasher(.nvme) over each chunk
//   fused        DualCRC64Hasher(.xz, .nvme): one pass, folding modulo the product of the two
//                polynomials (three carry-less multiplies where two passes spend four)
//
// over a 1 MiB cache-hot buffer (updated whole, repeated) and over a large buffer streamed in
// 1 MiB chunks, as the server reads an upload. Target: fused <= 1.15x the CPU time of xz alone.
//
//   swift run -c release crc64-dual-bench [--seconds S] [--rounds N] [--stream-mib M] [--kernel NAME]

import BenchSupport
import CRC64

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var seconds = 2.0
    var rounds = 5
    var streamMiB = 1024
    var kernels: [CRC64Kernel]?

    static let usage = """
        usage: crc64-dual-bench [--seconds S] [--rounds N] [--stream-mib M] [--kernel NAME]...

          --seconds S      CPU time per candidate and buffer, split over the rounds (default 2)
          --rounds N       interleaved rounds (default 5); best and median are reported
          --stream-mib M   size of the streamed buffer in MiB, read in 1 MiB chunks (default 1024)
          --kernel NAME    a kernel to measure (repeatable); default: each with a fused dual form,
                           or the best one when none has
        """

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var i = 0
        func value(_ name: String) -> String {
            i += 1
            guard i < arguments.count else { fail("\(name) needs a value\n\n\(usage)") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--seconds":
                guard let s = Double(value("--seconds")), s > 0 else { fail("--seconds needs a positive number") }
                options.seconds = s
            case "--rounds":
                guard let n = Int(value("--rounds")), n > 0 else { fail("--rounds needs a positive integer") }
                options.rounds = n
            case "--stream-mib":
                guard let n = Int(value("--stream-mib")), n > 0 else { fail("--stream-mib needs a positive integer") }
                options.streamMiB = n
            case "--kernel":
                let name = value("--kernel")
                guard let kernel = CRC64Kernel(name: name), kernel.isSupported else {
                    fail("kernel \(name) is unknown or unsupported here; supported: \(CRC64Kernel.supported.map(\.name))")
                }
                options.kernels = (options.kernels ?? []) + [kernel]
            case "-h", "--help":
                print(usage)
                exit(0)
            default: fail("unknown argument \(arguments[i])\n\n\(usage)")
            }
            i += 1
        }
        return options
    }
}

func fail(_ message: String) -> Never {
    bench_write_stderr("\ncrc64-dual-bench: \(message)\n")
    exit(1)
}

// MARK: - Candidates

/// One way of checksumming a buffer in chunks; returns its checksums XORed (the sink).
protocol Candidate {
    func run(_ buffer: UnsafeRawBufferPointer, chunk: Int) -> UInt64
}

extension UnsafeRawBufferPointer {
    /// Calls `body` on consecutive pieces of `chunk` bytes (the last may be shorter).
    @inline(__always)
    func forEachChunk(_ chunk: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        var offset = 0
        while offset < count {
            let end = Swift.min(count, offset + chunk)
            body(UnsafeRawBufferPointer(rebasing: self[offset..<end]))
            offset = end
        }
    }
}

struct XZAlone: Candidate {
    let kernel: CRC64Kernel
    func run(_ buffer: UnsafeRawBufferPointer, chunk: Int) -> UInt64 {
        var xz = CRC64Hasher(.xz, kernel: kernel)
        buffer.forEachChunk(chunk) { xz.update($0) }
        return xz.checksum
    }
}

struct TwoPasses: Candidate {
    let kernel: CRC64Kernel
    func run(_ buffer: UnsafeRawBufferPointer, chunk: Int) -> UInt64 {
        var xz = CRC64Hasher(.xz, kernel: kernel), nvme = CRC64Hasher(.nvme, kernel: kernel)
        buffer.forEachChunk(chunk) {
            xz.update($0)
            nvme.update($0)
        }
        return xz.checksum ^ nvme.checksum
    }
}

struct Fused: Candidate {
    let kernel: CRC64Kernel
    func run(_ buffer: UnsafeRawBufferPointer, chunk: Int) -> UInt64 {
        var both = DualCRC64Hasher(.xz, .nvme, kernel: kernel)
        buffer.forEachChunk(chunk) { both.update($0) }
        return both.checksums.first ^ both.checksums.second
    }
}

// MARK: - Timing

/// CPU time of the calling thread in nanoseconds: what the checksums cost, whatever else runs.
func threadCPUNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// `iterations` runs over `buffer`; returns (CPU ns, sink).
@inline(never)
func timeRuns<C: Candidate>(_ candidate: C, _ buffer: UnsafeRawBufferPointer, chunk: Int, _ iterations: Int) -> (UInt64, UInt64) {
    var sink: UInt64 = 0
    bench_clean_upper_state()
    let start = threadCPUNanoseconds()
    for _ in 0..<iterations {
        // Laundered so that no run can be hoisted out of the loop.
        let base = bench_launder(buffer.baseAddress)
        sink ^= candidate.run(UnsafeRawBufferPointer(start: base, count: buffer.count), chunk: chunk)
    }
    let end = threadCPUNanoseconds()
    bench_consume(sink)
    return (end &- start, sink)
}

struct Row {
    let label: String
    let time: (Int) -> (UInt64, UInt64)
    var gbps: [Double] = []
    var best: Double { gbps.max() ?? .nan }
    var median: Double {
        let s = gbps.sorted()
        return s.isEmpty ? .nan : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// Calibrates each row to `secondsPerRound` of CPU time, then runs `rounds` rounds, rotating the
/// order each round so that drift and neighbours' load hit every row alike.
func measure(_ rows: inout [Row], bytesPerRun: Int, rounds: Int, secondsPerRound: Double, sink: inout UInt64) {
    let iterations = rows.map { row -> Int in
        let (once, s1) = row.time(1)  // also the warm-up
        let probe = max(1, Int(1e8 / Double(max(once, 1))))  // about 0.1 s
        let (ns, s2) = row.time(probe)
        sink ^= s1 ^ s2
        return max(1, Int((secondsPerRound * 1e9 * Double(probe) / Double(max(ns, 1))).rounded()))
    }
    for round in 0..<rounds {
        for k in rows.indices {
            let i = (k + round) % rows.count
            let (ns, s) = rows[i].time(iterations[i])
            sink ^= s
            rows[i].gbps.append(Double(bytesPerRun) * Double(iterations[i]) / Double(ns))
        }
    }
}

// MARK: - Output

func fixed(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let v = (x * scale).rounded()
    let whole = Int(v / scale), fraction = Int(v - Double(whole) * scale)
    let digits = String(fraction)
    return decimals == 0 ? String(whole) : "\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

func readFirstLine(_ path: String) -> String? {
    guard let f = fopen(path, "r") else { return nil }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 4096)
    guard fgets(&line, Int32(line.count), f) != nil else { return nil }
    return String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func cpuModel() -> String {
    guard let f = fopen("/proc/cpuinfo", "r") else { return "unknown" }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 4096)
    while fgets(&line, Int32(line.count), f) != nil {
        let text = String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("model name"), let colon = text.firstIndex(of: ":") {
            return String(text[text.index(after: colon)...].drop { $0 == " " })
        }
    }
    return "unknown"
}

/// Prints the three rows and the two ratios; returns fused / xz-alone CPU time (median rounds).
func report(_ title: String, _ rows: [Row]) -> Double {
    print("")
    print("== \(title) ==")
    print("candidate" + String(repeating: " ", count: 16) + pad("GB/s best", 10) + pad("GB/s med", 10) + pad("CPU vs xz (med)", 17) + pad("(best)", 8))
    for row in rows {
        print(row.label + String(repeating: " ", count: max(1, 25 - row.label.count))
            + pad(fixed(row.best, 2), 10) + pad(fixed(row.median, 2), 10)
            + pad(fixed(rows[0].median / row.median, 3) + "x", 17) + pad(fixed(rows[0].best / row.best, 3) + "x", 8))
    }
    return rows[0].median / rows[2].median
}

// MARK: - Main

@main
struct DualBench {
    static func main() {
        bench_line_buffer_stdout()
        let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
        var sink: UInt64 = 0

        print("crc64-dual-bench: CRC-64/XZ alone vs XZ + NVME (two passes, and fused), CPU time of this thread")
        #if DEBUG
        print("WARNING:  debug build, numbers are meaningless: use `swift run -c release crc64-dual-bench`")
        #endif
        print("CPU:      \(cpuModel())")
        print("kernels:  supported \(CRC64Kernel.supported.map(\.name).joined(separator: ", ")); best = \(CRC64Kernel.best.name)")
        print("loadavg:  \(readFirstLine("/proc/loadavg") ?? "?") (at start)")

        let fusedKernels = CRC64Kernel.supported.filter { DualCRC64Hasher(kernel: $0).isFused }
        let kernels = options.kernels ?? (fusedKernels.isEmpty ? [.best] : fusedKernels)
        let hot = 1 << 20, chunk = 1 << 20, streamed = options.streamMiB << 20

        // Random contents (splitmix64), 64-byte aligned, written before timing so every page is resident.
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(hot, streamed), alignment: 64)
        defer { storage.deallocate() }
        var state: UInt64 = 0x243F_6A88_85A3_08D3
        for i in 0..<storage.count / 8 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            storage.storeBytes(of: z ^ (z >> 31), toByteOffset: 8 * i, as: UInt64.self)
        }
        let hotBuffer = UnsafeRawBufferPointer(rebasing: storage[0..<hot])
        let streamBuffer = UnsafeRawBufferPointer(rebasing: storage[0..<streamed])
        print("method:   \(options.rounds) interleaved rounds of \(fixed(options.seconds / Double(options.rounds), 2)) s CPU per candidate; GB/s = bytes / thread CPU time")

        var verdicts: [String] = []
        for kernel in kernels {
            // The fused checksums must be the two single ones before anything is timed.
            for buffer in [hotBuffer, UnsafeRawBufferPointer(rebasing: streamBuffer[0..<(4 << 20) + 77])] {
                var both = DualCRC64Hasher(.xz, .nvme, kernel: kernel)
                buffer.forEachChunk(chunk) { both.update($0) }
                let expected = (CRC64.xz.checksum(buffer, kernel: kernel), CRC64.nvme.checksum(buffer, kernel: kernel))
                if both.checksums != expected { fail("kernel \(kernel): fused checksums \(both.checksums) differ from \(expected): ABORTING") }
            }
            let fusedLabel = DualCRC64Hasher(kernel: kernel).isFused ? "fused" : "kernel twice (no dual)"

            for (title, buffer) in [("1 MiB cache-hot, \(kernel.name)", hotBuffer),
                                    ("\(options.streamMiB) MiB streamed in 1 MiB chunks, \(kernel.name)", streamBuffer)] {
                var rows = [
                    Row(label: "xz alone", time: { timeRuns(XZAlone(kernel: kernel), buffer, chunk: chunk, $0) }),
                    Row(label: "xz + nvme, two passes", time: { timeRuns(TwoPasses(kernel: kernel), buffer, chunk: chunk, $0) }),
                    Row(label: fusedLabel, time: { timeRuns(Fused(kernel: kernel), buffer, chunk: chunk, $0) }),
                ]
                measure(&rows, bytesPerRun: buffer.count, rounds: options.rounds,
                        secondsPerRound: options.seconds / Double(options.rounds), sink: &sink)
                let ratio = report(title, rows)
                verdicts.append("\(ratio <= 1.15 ? "met   " : "MISSED") \(title): fused \(fixed(ratio, 3))x xz alone (want <= 1.15x)")
            }
        }

        print("")
        print("== Target: both CRCs in one pass <= 1.15x the CPU time of CRC-64/XZ alone (median rounds) ==")
        for verdict in verdicts { print(verdict) }
        print("")
        print("loadavg:  \(readFirstLine("/proc/loadavg") ?? "?") (at end)")
        print("sink:     \(String(sink, radix: 16)) (printed so that no measured run can be optimised away)")
    }
}
