import Logging
import ServiceLifecycle

/// Runs `pass` at once and then every `interval` until graceful shutdown or cancellation; a pass
/// that fails is logged (`what` names it) and tried again at the next interval, never stopping
/// the server. The loop of the server's background services.
func runPeriodically(
    every interval: Duration, logger: Logger, what: String, _ pass: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await pass()
            } catch is CancellationError {
                return
            } catch {
                logger.error("\(what) failed, tried again in \(interval): \(error)")
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }
}
