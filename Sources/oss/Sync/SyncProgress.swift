import Foundation
import Synchronization

/// One progress display for a whole sync: bytes of the files examined so far (identical files
/// count at once, copies as their bytes move) against the bytes of every file considered, and
/// the per-file lines printed between redraws.
final class SyncProgress: Sendable {
    private struct State {
        var bar: ProgressBar?
        var done: Int64 = 0
        var inFlight: [String: Int64] = [:]
    }

    private let showsBar: Bool
    private let printsLines: Bool
    private let state = Mutex(State())

    /// Failures are reported whatever the settings.
    init(showsBar: Bool, printsLines: Bool) {
        self.showsBar = showsBar
        self.printsLines = printsLines
    }

    func start(total: Int64) {
        guard showsBar else { return }
        state.withLock { $0.bar = ProgressBar(label: "sync", total: total) }
    }

    /// A file finished without a transfer (identical, skipped, failed).
    func done(_ bytes: Int64) {
        update { $0.done += bytes }
    }

    /// A copy's bytes so far.
    func inFlight(_ path: String, _ bytes: Int64) {
        update { $0.inFlight[path] = bytes }
    }

    /// A copy finished: its bytes count as done.
    func finished(_ path: String, _ bytes: Int64) {
        update { state in
            state.inFlight[path] = nil
            state.done += bytes
        }
    }

    /// Prints a per-file line (standard output), or a failure (standard error, also when quiet).
    func interject(_ line: String, error: Bool = false) {
        guard printsLines || error else { return }
        let handle: FileHandle = error ? .standardError : .standardOutput
        if let bar = state.withLock({ $0.bar }) {
            bar.interject(line, on: handle)
        } else {
            handle.write(Data((line + "\n").utf8))
        }
    }

    func finish() {
        state.withLock { $0.bar }?.finish()
    }

    private func update(_ change: (inout State) -> Void) {
        let (bar, done) = state.withLock { state in
            change(&state)
            return (state.bar, state.done + state.inFlight.values.reduce(0, +))
        }
        bar?.update(done: done)
    }
}
