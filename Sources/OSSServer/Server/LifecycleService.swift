import Foundation
import Logging
import ServiceLifecycle

/// Applies the buckets' lifecycle rules in the background: a pass at start, then one every
/// `interval`, until the server shuts down (a pass in progress stops between two pages; the next
/// start finishes the work, see ``ObjectStorage/applyLifecycle(now:day:)``). A failed pass is
/// logged and retried at the next interval; it never stops the server.
struct LifecycleService: Service {
    let storage: ObjectStorage
    let interval: Duration
    let day: Duration
    let logger: Logger

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, what: "lifecycle pass") {
            _ = try await storage.applyLifecycle(now: Date(), day: day)
        }
    }
}
