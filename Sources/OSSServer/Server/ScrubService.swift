import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Runs the scrubber (``ObjectStorage/scrub(_:)``) in the background: a pass every `interval`
/// after the last one finished, at once when one was left unfinished (a restart goes on where
/// the pass stopped), and whenever the admin listener asks (``ScrubControl``). Reads are paced
/// to `bytesPerSecond`. A pass that fails (a blob store that does not answer) is logged and
/// tried again a minute later, from where it stopped.
///
/// On a shared metadata store one node at a time scrubs: it holds a lease in the metadata,
/// renewed while it runs; another node waits for it to lapse.
struct ScrubService: Service {
    let storage: ObjectStorage
    let interval: Duration?
    let bytesPerSecond: Int
    let control: ScrubControl
    let metrics: ServerMetrics?
    let logger: Logger

    /// The setting that names the node scrubbing and until when (milliseconds since 1970).
    static let leaseSetting = "scrub.lease"
    static let leaseLength: Duration = .seconds(60)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var due = control.takeRequest()
                if !due { due = (try? await passIsDue()) == true }
                if due, await takeLease() {
                    await pass()
                } else {
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func pass() async {
        control.started()
        let (metrics, control) = (self.metrics, self.control)
        let counted = NIOLockedValueBox((blobs: 0, bytes: 0))
        do {
            let report = try await storage.scrub(
                ScrubOptions(bytesPerSecond: bytesPerSecond, progress: { report in
                    let (blobs, bytes) = counted.withLockedValue { counted in
                        defer { counted = (report.blobs, report.bytes) }
                        return (report.blobs - counted.blobs, report.bytes - counted.bytes)
                    }
                    metrics?.scrubbed(blobs: blobs, bytes: bytes)
                    control.progressed(report)
                    if report.blobs % 64 == 0 { Task { await renewLease() } }
                }))
            control.finished(report, error: nil)
            logger.notice(
                "scrub: \(report.finished ? "pass finished" : "pass stopped"), \(report.blobs) blobs, \(report.bytes) bytes read, \(report.damaged.count) objects found damaged")
        } catch {
            control.finished(nil, error: "\(error)")
            logger.error("scrub pass failed, going on from where it stopped in a minute: \(error)")
            try? await Task.sleep(for: .seconds(60))
        }
        await releaseLease()
    }

    /// Whether a pass should begin now: one was left unfinished, or the last finished an
    /// interval ago (a store never scrubbed counts from when this server started).
    private func passIsDue() async throws -> Bool {
        guard let interval else { return false }
        if try await storage.metadata.setting(ObjectStorage.scrubPositionSetting) != nil { return true }
        let finished = try await storage.metadata.setting(ObjectStorage.scrubFinishedSetting)
            .flatMap(TimeInterval.init).map { Date(timeIntervalSince1970: $0) } ?? control.serviceStart
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        return Date().timeIntervalSince(finished) >= seconds
    }

    private var node: String { storage.node?.id ?? "local" }

    /// The lease of a shared store, taken when free, lapsed or already this node's; always
    /// granted on a store no other server uses. Two nodes that take it at once both scrub, which
    /// costs reads, never data.
    private func takeLease() async -> Bool {
        guard storage.metadata.isShared else { return true }
        let current: String?
        do {
            current = try await storage.metadata.setting(Self.leaseSetting)
        } catch {
            return false
        }
        let parts = current?.split(separator: "|")
        if let parts, parts.count == 2, String(parts[0]) != node, let until = Int64(parts[1]),
            until > MetadataCoding.milliseconds(Date())
        {
            return false
        }
        await renewLease()
        return true
    }

    private func renewLease() async {
        guard storage.metadata.isShared else { return }
        let until = MetadataCoding.milliseconds(Date().addingTimeInterval(Double(Self.leaseLength.components.seconds)))
        try? await storage.metadata.setSetting(Self.leaseSetting, to: "\(node)|\(until)")
    }

    private func releaseLease() async {
        guard storage.metadata.isShared else { return }
        try? await storage.metadata.setSetting(Self.leaseSetting, to: nil)
    }
}

/// What the admin listener sees of the scrubber and how it starts a pass.
final class ScrubControl: Sendable {
    /// When this server started: a store never scrubbed is due an interval after it.
    let serviceStart = Date()
    private let state = NIOLockedValueBox(State())

    struct State: Sendable {
        var requested = false
        var running = false
        var blobs = 0
        var bytes = 0
        var damagedFound = 0
        var lastFinished: Date?
        var lastError: String?
    }

    var current: State { state.withLockedValue { $0 } }

    /// Asks for a pass now; `false` when one is running already.
    func request() -> Bool {
        state.withLockedValue { state in
            guard !state.running else { return false }
            state.requested = true
            return true
        }
    }

    func takeRequest() -> Bool {
        state.withLockedValue { state in
            defer { state.requested = false }
            return state.requested
        }
    }

    func started() {
        state.withLockedValue { state in
            state.running = true
            state.blobs = 0
            state.bytes = 0
            state.damagedFound = 0
        }
    }

    func progressed(_ report: ScrubReport) {
        state.withLockedValue { state in
            state.blobs = report.blobs
            state.bytes = report.bytes
            state.damagedFound = report.damaged.count
        }
    }

    func finished(_ report: ScrubReport?, error: String?) {
        state.withLockedValue { state in
            state.running = false
            state.lastError = error
            if let report {
                state.damagedFound = report.damaged.count
                if report.finished { state.lastFinished = Date() }
            }
        }
    }

    /// The status as `GET /scrub` shows it, one `name: value` line each.
    var text: String {
        let state = current
        var lines = [
            "running: \(state.running)",
            "blobs: \(state.blobs)",
            "bytes: \(state.bytes)",
            "damaged: \(state.damagedFound)",
        ]
        if let finished = state.lastFinished { lines.append("last finished: \(ISO8601DateFormatter().string(from: finished))") }
        if let error = state.lastError { lines.append("last error: \(error)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
