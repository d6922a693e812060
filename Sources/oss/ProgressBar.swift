import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One line of transfer progress: bar, percentage, bytes, rate and time left.
///
/// Pure formatting, so tests check it with a fixed clock.
struct ProgressLine {
    var label: String
    var total: Int64?
    var barWidth = 24

    func render(done: Int64, elapsed: Duration) -> String {
        let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 0.001)
        let rate = Double(done) / seconds
        var parts = [label]
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let filled = Int(fraction * Double(barWidth))
            let bar = String(repeating: "=", count: filled) + (filled < barWidth ? ">" : "")
                + String(repeating: " ", count: max(0, barWidth - filled - 1))
            parts.append("[\(bar)]")
            parts.append(String(format: "%3d%%", Int(fraction * 100)))
            parts.append("\(Self.bytes(done)) / \(Self.bytes(total))")
        } else {
            parts.append(Self.bytes(done))
        }
        parts.append("\(Self.bytes(Int64(rate)))/s")
        if let total, total > done, rate > 0 {
            parts.append("ETA \(Self.clock(Double(total - done) / rate))")
        }
        return parts.joined(separator: "  ")
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}

/// Draws progress on standard error: redrawn in place on a terminal, a plain line every few
/// seconds otherwise (logs, pipes). Safe to call from concurrent part transfers.
final class ProgressBar: Sendable {
    private struct State {
        var done: Int64 = 0
        var lastDraw: ContinuousClock.Instant?
        var finished = false
    }

    private let line: ProgressLine
    private let isTerminal: Bool
    private let start = ContinuousClock.now
    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    init(label: String, total: Int64?, isTerminal: Bool = isatty(STDERR_FILENO) == 1,
         write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.line = ProgressLine(label: label, total: total)
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Records the bytes done so far; draws at most 10 times a second on a terminal, every
    /// 5 seconds elsewhere.
    func update(done: Int64) {
        let now = ContinuousClock.now
        let text: String? = state.withLock { state in
            guard !state.finished else { return nil }
            state.done = max(state.done, done)
            let interval: Duration = isTerminal ? .milliseconds(100) : .seconds(5)
            if let last = state.lastDraw, now - last < interval { return nil }
            state.lastDraw = now
            return line.render(done: state.done, elapsed: now - start)
        }
        if let text { write(isTerminal ? "\r\u{1B}[2K" + text : text + "\n") }
    }

    /// Draws the final state once and ends the line.
    func finish() {
        let text: String? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return line.render(done: state.done, elapsed: ContinuousClock.now - start)
        }
        if let text { write(isTerminal ? "\r\u{1B}[2K" + text + "\n" : text + "\n") }
    }
}
