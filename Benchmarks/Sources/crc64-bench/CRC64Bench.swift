// crc64-bench: swift-oss CRC-64/XZ against ISA-L and liblzma, in one process.
//
//   swift run -c release crc64-bench [--quick] [--rounds N] [--min-time-ms MS] [--seed S]
//
// For every size, every candidate is first checked to give the same CRC-64/XZ as
// `CRC64.xz.checksum` (the run aborts on any disagreement), then timed: calls are repeated until a
// measurement lasts at least --min-time-ms, candidates are interleaved round by round so that
// drift and neighbours' load hit all of them alike, and the best round is reported (the median
// is shown beside it). Calls within a measurement are independent (throughput), their results
// XORed into a sink that is printed at the end, and the buffer address is laundered through an
// empty asm statement on every call so no call can be hoisted or folded away.

import BenchSupport
import CISAL
import CLZMA
import CRC64

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Options

struct Options {
    var quick = false
    var rounds = 5
    var minTimeNs: UInt64 = 100_000_000
    var seed: UInt64?

    static let usage = """
        usage: crc64-bench [--quick] [--rounds N] [--min-time-ms MS] [--seed S]

          --quick            skip 256 MiB
          --rounds N         interleaved rounds per size (default 5); best and median are reported
          --min-time-ms MS   minimum duration of one measurement (default 100)
          --seed S           seed of the random buffer contents (default: random, printed)
        """

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var i = 0
        func value(_ name: String) -> UInt64 {
            i += 1
            guard i < arguments.count, let v = UInt64(arguments[i]), v > 0 else {
                fail("\(name) needs a positive integer\n\n\(usage)")
            }
            return v
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--quick": options.quick = true
            case "--rounds": options.rounds = Int(value("--rounds"))
            case "--min-time-ms": options.minTimeNs = value("--min-time-ms") * 1_000_000
            case "--seed": options.seed = value("--seed")
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
    bench_write_stderr("\ncrc64-bench: \(message)\n")
    exit(1)
}

// MARK: - Candidates

/// One way of computing something over a buffer. Generic timing loops are specialised per
/// conforming type, so the call inside the loop is direct.
protocol Candidate {
    func run(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64
}

/// What the library's users call: `CRC64.xz.checksum`, with the kernel chosen at run time.
struct Dispatched: Candidate {
    @inline(__always)
    func run(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        CRC64.xz.checksum(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}

/// One kernel, forced through `CRC64.xz.checksum(_:kernel:)`.
struct ForcedKernel: Candidate {
    let kernel: CRC64Kernel

    @inline(__always)
    func run(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        CRC64.xz.checksum(UnsafeRawBufferPointer(start: bytes, count: count), kernel: kernel)
    }
}

/// ISA-L: `crc64_ecma_refl(0, buf, len)` is CRC-64/XZ (ISA-L inverts before and after itself).
struct ISAL: Candidate {
    @inline(__always)
    func run(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        crc64_ecma_refl(0, bytes.assumingMemoryBound(to: UInt8.self), UInt64(count))
    }
}

/// ISA-L's 128-bit PCLMULQDQ path, `crc64_ecma_refl_by8`: what `crc64_ecma_refl` runs on CPUs
/// without AVX-512, so our AVX2 kernel against it indicates the ratio on AVX2-only CPUs.
struct ISALBy8: Candidate {
    @inline(__always)
    func run(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        bench_isal_by8(0, bytes.assumingMemoryBound(to: UInt8.self), UInt64(count))
    }
}

/// liblzma: `lzma_crc64(buf, len, 0)` is CRC-64/XZ.
struct LZMA: Candidate {
    @inline(__always)
    func run(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        lzma_crc64(bytes.assumingMemoryBound(to: UInt8.self), count, 0)
    }
}

/// The floor: XOR of every 64-bit word, with loads of one width (see `bench_xor_reduce`).
struct MemoryRead: Candidate {
    let variant: Int32

    @inline(__always)
    func run(_ bytes: UnsafeRawPointer, _ count: Int) -> UInt64 {
        bench_xor_reduce(variant, bytes, count)
    }
}

/// `iterations` independent calls; returns (elapsed ns, XOR of the results).
@inline(never)
func timeCalls<C: Candidate>(_ candidate: C, _ bytes: UnsafeRawPointer, _ count: Int, _ iterations: Int) -> (UInt64, UInt64) {
    var sink: UInt64 = 0
    bench_clean_upper_state()
    let start = bench_now_ns()
    for _ in 0..<iterations {
        // The launder makes every call's argument unknown to the optimiser.
        sink ^= candidate.run(bench_launder(bytes)!, count)
    }
    let end = bench_now_ns()
    bench_consume(sink)
    return (end &- start, sink)
}

enum Role {
    case dispatched, kernel, isal, isalBy8, lzma, memoryRead
}

struct Entry {
    let label: String
    let role: Role
    /// (bytes, count, iterations) -> (elapsed ns, sink)
    let time: (UnsafeRawPointer, Int, Int) -> (UInt64, UInt64)
    /// One call, for the correctness check.
    let once: (UnsafeRawPointer, Int) -> UInt64

    init<C: Candidate>(_ label: String, _ role: Role, _ candidate: C) {
        self.label = label
        self.role = role
        self.time = { timeCalls(candidate, $0, $1, $2) }
        self.once = { candidate.run($0, $1) }
    }
}

// MARK: - Measurement

struct Stats {
    /// ns per call of each round.
    var rounds: [Double] = []
    var best: Double { rounds.min() ?? .nan }
    var median: Double {
        let s = rounds.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// Calls per measurement so that one measurement lasts about `minTimeNs` (at least one call).
/// Doubles as the warm-up.
func calibrate(_ measure: (Int) -> (UInt64, UInt64), minTimeNs: UInt64, sink: inout UInt64) -> Int {
    var n = 1
    while true {
        let (ns, s) = measure(n)
        sink ^= s
        if ns >= minTimeNs / 8 || n >= 1 << 40 {
            let scaled = Double(n) * Double(minTimeNs) / Double(max(ns, 1)) * 1.05
            return max(1, Int(scaled.rounded(.up)))
        }
        n *= ns == 0 ? 16 : min(16, max(2, Int(Double(minTimeNs / 8) / Double(ns)) + 1))
    }
}

/// Interleaved rounds over `measures` (each takes an iteration count); returns ns/call per round.
func interleaved(_ measures: [(Int) -> (UInt64, UInt64)], rounds: Int, minTimeNs: UInt64, sink: inout UInt64) -> [Stats] {
    let iterations = measures.map { calibrate($0, minTimeNs: minTimeNs, sink: &sink) }
    var stats = [Stats](repeating: Stats(), count: measures.count)
    for round in 0..<rounds {
        // Rotate the order each round so no candidate always runs first or last.
        for k in 0..<measures.count {
            let i = (k + round) % measures.count
            let (ns, s) = measures[i](iterations[i])
            sink ^= s
            stats[i].rounds.append(Double(ns) / Double(iterations[i]))
        }
    }
    return stats
}

// MARK: - Combine

@inline(never)
func timeCombine(length: UInt64, iterations: Int, seed: UInt64) -> (UInt64, UInt64) {
    // A dependent chain, like folding part CRCs into a whole-object CRC: latency per call.
    var a = seed
    var b = seed &* 0x9E37_79B9_7F4A_7C15 ^ 0xD1B5_4A32_D192_ED03
    bench_clean_upper_state()
    let start = bench_now_ns()
    for _ in 0..<iterations {
        let crc = CRC64.xz.combine(a, b, lengthOfB: bench_opaque(length))
        a = b
        b = crc
    }
    let end = bench_now_ns()
    bench_consume(a ^ b)
    return (end &- start, a ^ b)
}

// MARK: - Formatting

func fixed(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let v = (abs(x) * scale).rounded()
    let whole = UInt64(v / scale)
    var text = (x < 0 && v != 0 ? "-" : "") + String(whole)
    if decimals > 0 {
        let frac = String(UInt64(v - Double(whole) * scale))
        text += "." + String(repeating: "0", count: decimals - frac.count) + frac
    }
    return text
}

/// 3 significant-ish digits.
func sig(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    if x >= 100 { return fixed(x, 0) }
    if x >= 10 { return fixed(x, 1) }
    if x >= 1 { return fixed(x, 2) }
    return fixed(x, 3)
}

func duration(_ ns: Double) -> String {
    if ns < 1_000 { return sig(ns) + " ns" }
    if ns < 1_000_000 { return sig(ns / 1_000) + " µs" }
    return sig(ns / 1_000_000) + " ms"
}

func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let n = s.count
    guard n < width else { return s }
    let fill = String(repeating: " ", count: width - n)
    return right ? fill + s : s + fill
}

func sizeLabel(_ n: Int) -> String {
    if n >= 1 << 20 { return "\(n >> 20) MiB" }
    if n >= 1 << 10 { return "\(n >> 10) KiB" }
    return "\(n) B"
}

func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: 16 - s.count) + s
}

// MARK: - Machine description

func readFile(_ path: String) -> String? {
    guard let f = fopen(path, "r") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

func trimmed(_ s: Substring) -> String {
    String(s.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).reversed())
}

func describeMachine() {
    var fields: [String: String] = [:]
    if let info = readFile("/proc/cpuinfo") {
        // The first processor's block is enough: all cores are alike here.
        for line in info.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[trimmed(line[..<colon])] = trimmed(line[line.index(after: colon)...])
        }
    }
    let flags = Set((fields["flags"] ?? "").split(separator: " ").map(String.init))
    print("CPU:      \(fields["model name"] ?? "unknown (no /proc/cpuinfo)")"
        + (fields["cpu family"].map { " (family \($0), model \(fields["model"] ?? "?"), stepping \(fields["stepping"] ?? "?"))" } ?? ""))
    if !flags.isEmpty {
        let relevant = ["sse4_1", "sse4_2", "pclmulqdq", "avx", "avx2", "vpclmulqdq", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512vbmi", "gfni"]
        print("flags:    " + relevant.map { (flags.contains($0) ? "+" : "-") + $0 }.joined(separator: " "))
    }
    let l3 = readFile("/sys/devices/system/cpu/cpu0/cache/index3/size").map { trimmed($0[...]) }
    let l2 = readFile("/sys/devices/system/cpu/cpu0/cache/index2/size").map { trimmed($0[...]) }
    let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    print("caches:   L2 \(l2 ?? "?") per core, L3 \(l3 ?? "?"); \(cpus) logical CPUs online")
    if let load = readFile("/proc/loadavg") {
        print("loadavg:  \(trimmed(load[...])) (at start)")
    }
}

// MARK: - Main

@main
struct CRC64Bench {
    static func main() {
        bench_line_buffer_stdout()
        let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
        var sink: UInt64 = 0

        print("crc64-bench: swift-oss CRC-64/XZ vs ISA-L \(String(cString: bench_isal_version())) and liblzma \(String(cString: lzma_version_string()))")
        #if DEBUG
        print("WARNING:  debug build, numbers are meaningless: use `swift run -c release crc64-bench`")
        #endif
        describeMachine()
        print("kernels:  supported \(CRC64Kernel.supported.map(\.name).joined(separator: ", ")); best = \(CRC64Kernel.best.name)")
        let readVariants = (0..<bench_xor_reduce_variant_count()).map { (variant: $0, name: String(cString: bench_xor_reduce_variant_name($0))) }
        print("baseline: memory read = XOR of every 64-bit word, one row per load width (\(readVariants.map(\.name).joined(separator: ", "))); ratios use the fastest")

        var sizes = [16, 64, 256, 1 << 10, 4 << 10, 64 << 10, 1 << 20, 16 << 20, 256 << 20]
        if options.quick { sizes.removeLast() }
        let maxSize = sizes.max()!

        // Random contents, 64-byte aligned, written once (so every page is resident: warm).
        let seed = options.seed ?? UInt64.random(in: 1...UInt64.max)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: maxSize, alignment: 64)
        defer { buffer.deallocate() }
        var state = seed
        let words = buffer.bindMemory(to: UInt64.self, capacity: maxSize / 8)
        for i in 0..<maxSize / 8 {
            // splitmix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            words[i] = z ^ (z >> 31)
        }
        let bytes = UnsafeRawPointer(buffer)
        print("buffer:   \(sizeLabel(maxSize)) of random bytes (seed \(seed)), 64-byte aligned; sizes are its prefixes")
        print("method:   each measurement >= \(options.minTimeNs / 1_000_000) ms of back-to-back independent calls; \(options.rounds) interleaved rounds; best (and median) round reported")

        var entries: [Entry] = [Entry("CRC64.xz.checksum (dispatched)", .dispatched, Dispatched())]
        for kernel in CRC64Kernel.supported {
            entries.append(Entry("kernel \(kernel.name)", .kernel, ForcedKernel(kernel: kernel)))
        }
        entries.append(Entry("ISA-L crc64_ecma_refl", .isal, ISAL()))
        if bench_isal_has_by8() != 0 {
            entries.append(Entry("ISA-L crc64_ecma_refl_by8", .isalBy8, ISALBy8()))
        }
        entries.append(Entry("liblzma lzma_crc64", .lzma, LZMA()))
        for (variant, name) in readVariants {
            entries.append(Entry("memory read \(name)", .memoryRead, MemoryRead(variant: variant)))
        }
        let crcEntries = entries.filter { $0.role != .memoryRead }

        // Check values first: each candidate on "123456789".
        let check: [UInt8] = Array("123456789".utf8)
        check.withUnsafeBytes { raw in
            for entry in crcEntries {
                let v = entry.once(raw.baseAddress!, raw.count)
                if v != 0x995D_C9BB_DF19_39FA {
                    fail("\(entry.label) gives \(hex(v)) for \"123456789\", CRC-64/XZ is 0x995DC9BBDF1939FA: ABORTING")
                }
            }
        }

        var summary: [(size: Int, stats: [Stats])] = []
        for size in sizes {
            // Every candidate must agree with CRC64.xz.checksum before anything is timed.
            let expected = CRC64.xz.checksum(UnsafeRawBufferPointer(start: bytes, count: size))
            for entry in crcEntries {
                let v = entry.once(bytes, size)
                if v != expected {
                    fail("""
                        MISMATCH at \(sizeLabel(size)): \(entry.label) = \(hex(v)), CRC64.xz.checksum = \(hex(expected)).
                        Every candidate must compute CRC-64/XZ; ABORTING before timing.
                        """)
                }
            }
            let xorSlow = bench_xor_reduce_reference(bytes, size)
            for entry in entries where entry.role == .memoryRead {
                let xorFast = entry.once(bytes, size)
                if xorFast != xorSlow {
                    fail("\(entry.label) is wrong at \(sizeLabel(size)): \(hex(xorFast)) != reference \(hex(xorSlow)): ABORTING")
                }
            }

            let stats = interleaved(
                entries.map { entry in { n in entry.time(bytes, size, n) } },
                rounds: options.rounds, minTimeNs: options.minTimeNs, sink: &sink)
            summary.append((size, stats))
            printSizeTable(size: size, expected: expected, entries: entries, stats: stats)
        }

        // Combine.
        let lengths: [(String, UInt64)] = [
            ("1", 1), ("100", 100), ("1 MiB", 1 << 20), ("2^32", 1 << 32), ("2^40", 1 << 40), ("2^63-1", (1 << 63) - 1),
        ]
        // Sanity: combine must agree with the checksum of the concatenation.
        do {
            let a = 777, b = 4096 + 13
            let whole = CRC64.xz.checksum(UnsafeRawBufferPointer(start: bytes, count: a + b))
            let crcA = CRC64.xz.checksum(UnsafeRawBufferPointer(start: bytes, count: a))
            let crcB = CRC64.xz.checksum(UnsafeRawBufferPointer(start: bytes + a, count: b))
            let combined = CRC64.xz.combine(crcA, crcB, lengthOfB: UInt64(b))
            if combined != whole { fail("combine gives \(hex(combined)), expected \(hex(whole)): ABORTING") }
        }
        let combineStats = interleaved(
            lengths.map { (_, length) in { n in timeCombine(length: length, iterations: n, seed: seed ^ length) } },
            rounds: options.rounds, minTimeNs: options.minTimeNs, sink: &sink)
        print("")
        print("== CRC64.xz.combine(a, b, lengthOfB:)  (dependent chain: ns per call, latency) ==")
        print(pad("lengthOfB", 12) + pad("best", 12, right: true) + pad("median", 12, right: true))
        for (i, (label, _)) in lengths.enumerated() {
            print(pad(label, 12) + pad(fixed(combineStats[i].best, 1) + " ns", 12, right: true)
                + pad(fixed(combineStats[i].median, 1) + " ns", 12, right: true))
        }

        printSummary(entries: entries, summary: summary, combine: combineStats)

        if let load = readFile("/proc/loadavg") {
            print("")
            print("loadavg:  \(trimmed(load[...])) (at end)")
        }
        print("sink:     \(hex(sink)) (printed so that no measured call can be optimised away)")
    }

    static func printSizeTable(size: Int, expected: UInt64, entries: [Entry], stats: [Stats]) {
        let isal = entries.firstIndex { $0.role == .isal }!
        let isalBest = stats[isal].best
        print("")
        print("== \(sizeLabel(size)) (\(size) bytes; all CRCs = \(hex(expected))) ==")
        print(pad("candidate", 34) + pad("GB/s best", 11, right: true) + pad("GB/s med", 10, right: true)
            + pad("per call", 12, right: true) + pad("x ISA-L", 9, right: true))
        for (i, entry) in entries.enumerated() {
            let best = stats[i].best
            let gbps = Double(size) / best
            let medGbps = Double(size) / stats[i].median
            print(pad(entry.label, 34) + pad(sig(gbps), 11, right: true) + pad(sig(medGbps), 10, right: true)
                + pad(duration(best), 12, right: true) + pad(fixed(isalBest / best, 2), 9, right: true))
        }
        if size >= 16 << 20 {
            let d = entries.firstIndex { $0.role == .dispatched }!
            let m = fastestRead(entries, stats)
            print("dispatched / fastest memory read (\(entries[m].label)) = \(fixed(stats[m].best / stats[d].best, 2)) (best rounds; median rounds \(fixed(stats[m].median / stats[d].median, 2)))")
        }
    }

    /// Index of the memory-read row with the best time.
    static func fastestRead(_ entries: [Entry], _ stats: [Stats]) -> Int {
        entries.indices.filter { entries[$0].role == .memoryRead }.min { stats[$0].best < stats[$1].best }!
    }

    static func printSummary(entries: [Entry], summary: [(size: Int, stats: [Stats])], combine: [Stats]) {
        let isal = entries.firstIndex { $0.role == .isal }!
        let d = entries.firstIndex { $0.role == .dispatched }!

        print("")
        print("== Summary: speed relative to ISA-L (best rounds; > 1 is faster) ==")
        let short: [String] = entries.map { entry in
            switch entry.role {
            case .dispatched: "dispatched"
            case .kernel: String(entry.label.dropFirst("kernel ".count))
            case .isal: "ISA-L GB/s"
            case .isalBy8: "ISA-L by8"
            case .lzma: "liblzma"
            case .memoryRead: "read " + String(entry.label.dropFirst("memory read ".count).prefix { $0 != " " })
            }
        }
        let width = max(11, (short.map(\.count).max() ?? 0) + 2)
        print(pad("size", 9) + short.map { pad($0, width, right: true) }.joined())
        for (size, stats) in summary {
            var line = pad(sizeLabel(size), 9)
            for i in entries.indices {
                let cell = i == isal ? sig(Double(size) / stats[i].best) : fixed(stats[isal].best / stats[i].best, 2)
                line += pad(cell, width, right: true)
            }
            print(line)
        }

        print("")
        print("== Targets (dispatched path, best rounds) ==")
        let best = CRC64Kernel.best
        let target: Double? = best == .vpclmulAVX512 ? 1.2 : best == .vpclmulAVX2 ? 2.0 : nil
        func verdict(_ ok: Bool) -> String { ok ? "met   " : "MISSED" }
        if let target {
            for (size, stats) in summary where size >= 1 << 10 && size <= 1 << 20 {
                let r = stats[isal].best / stats[d].best
                print("\(verdict(r >= target)) \(pad(sizeLabel(size), 8)) \(fixed(r, 2))x ISA-L (want >= \(fixed(target, 1))x on \(best.name) CPUs)")
            }
        } else {
            print("n/a    1 KiB..1 MiB: no ratio target for best kernel \(best.name)")
        }
        if best == .vpclmulAVX512, let by8 = entries.firstIndex(where: { $0.role == .isalBy8 }),
            let avx2 = entries.firstIndex(where: { $0.label == "kernel \(CRC64Kernel.vpclmulAVX2.name)" })
        {
            // No AVX2-only CPU here: pit our AVX2 kernel against what ISA-L runs on one.
            for (size, stats) in summary where size >= 1 << 10 && size <= 1 << 20 {
                let r = stats[by8].best / stats[avx2].best
                print("\(verdict(r >= 2.0)) \(pad(sizeLabel(size), 8)) \(fixed(r, 2))x: indicative AVX2-only ratio, kernel \(CRC64Kernel.vpclmulAVX2.name) vs ISA-L by8 (want >= 2.0x)")
            }
        }
        for (size, stats) in summary where size <= 64 {
            let ours = stats[d].best, theirs = stats[isal].best
            print("\(verdict(ours <= theirs)) \(pad(sizeLabel(size), 8)) \(fixed(ours, 1)) ns/call vs ISA-L \(fixed(theirs, 1)) ns/call (want <=)")
        }
        for (size, stats) in summary where size >= 16 << 20 {
            let m = fastestRead(entries, stats)
            let r = stats[m].best / stats[d].best
            print("\(verdict(r >= 0.9)) \(pad(sizeLabel(size), 8)) \(fixed(r, 2))x the fastest memory-read loop, \(entries[m].label) (want >= 0.9)")
        }
        let worst = combine.map(\.best).max() ?? .nan
        print("\(verdict(worst <= 100)) combine  slowest length \(fixed(worst, 1)) ns/call (want <= 100 ns)")
    }
}
