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

    /// - Parameter resumed: the part of `done` a checkpoint held before this run: counted in the
    ///   bar, not in the rate (a resumed transfer would otherwise report its checkpoint's size
    ///   over a few milliseconds as its speed).
    func render(done: Int64, resumed: Int64 = 0, elapsed: Duration) -> String {
        let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 0.001)
        let rate = Double(max(0, done - resumed)) / seconds
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
///
/// Nothing is drawn before the first update (a request that fails at once leaves no bar behind)
/// nor for a transfer known to be tiny (below ``minimumTotal``): its result line says it all.
final class ProgressBar: Sendable {
    /// Transfers smaller than this get no bar.
    static let minimumTotal: Int64 = 1 << 20

    private struct State {
        var line: ProgressLine
        var done: Int64 = 0
        var resumed: Int64 = 0
        var lastDraw: ContinuousClock.Instant?
        var finished = false

        var isTiny: Bool { line.total.map { $0 < ProgressBar.minimumTotal } ?? false }
    }

    private let isTerminal: Bool
    private let start = ContinuousClock.now
    private let state: Mutex<State>
    private let write: @Sendable (String) -> Void

    init(label: String, total: Int64?, isTerminal: Bool = isatty(STDERR_FILENO) == 1,
         write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.state = Mutex(State(line: ProgressLine(label: label, total: total)))
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Records the bytes done so far (and the total, once the transfer learns it); draws at most
    /// 10 times a second on a terminal, every 5 seconds elsewhere.
    func update(done: Int64, total: Int64? = nil, resumed: Int64 = 0) {
        let now = ContinuousClock.now
        let text: String? = state.withLock { state in
            guard !state.finished else { return nil }
            if let total { state.line.total = total }
            state.done = max(state.done, done)
            state.resumed = max(state.resumed, resumed)
            guard !state.isTiny else { return nil }
            let interval: Duration = isTerminal ? .milliseconds(100) : .seconds(5)
            if let last = state.lastDraw, now - last < interval { return nil }
            state.lastDraw = now
            return state.line.render(done: state.done, resumed: state.resumed, elapsed: now - start)
        }
        if let text { write(isTerminal ? "\r\u{1B}[2K" + text : text + "\n") }
    }

    /// Draws the final state once and ends the line; nothing when nothing was ever drawn and the
    /// transfer is tiny or never started.
    func finish() {
        let text: String? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            guard state.lastDraw != nil, !state.isTiny else { return nil }
            return state.line.render(done: state.done, resumed: state.resumed, elapsed: ContinuousClock.now - start)
        }
        if let text { write(isTerminal ? "\r\u{1B}[2K" + text + "\n" : text + "\n") }
    }

    /// Prints `text` as a line of its own on `handle` (standard output by default) while the bar
    /// is drawn in place on a terminal: the bar's line is cleared first and drawn again after,
    /// so that neither garbles the other.
    func interject(_ text: String, on handle: FileHandle = .standardOutput) {
        state.withLock { state in
            let redraw = isTerminal && state.lastDraw != nil && !state.finished && !state.isTiny
            if redraw { write("\r\u{1B}[2K") }
            handle.write(Data((text + "\n").utf8))
            if redraw {
                write("\r\u{1B}[2K" + state.line.render(done: state.done, resumed: state.resumed, elapsed: ContinuousClock.now - start))
            }
        }
    }

    /// Ends a line drawn in place, so that a message (an interruption, an error) starts on a
    /// line of its own; the bar draws nothing after it.
    func abandon() {
        let drawn = state.withLock { state in
            defer { state.finished = true }
            return !state.finished && state.lastDraw != nil
        }
        if drawn, isTerminal { write("\n") }
    }
}
