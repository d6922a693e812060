import Logging
import ServiceLifecycle

/// On a server whose metadata others share: every ``StorageConfiguration/collectorInterval``,
/// says the server is alive and collects the blobs no object needs any more, when no other
/// server is at it (``ObjectStorage/collectGarbage(now:limit:)``). A failed pass is logged and
/// tried again at the next interval.
struct BlobCollectorService: Service {
    let storage: ObjectStorage
    let logger: Logger

    func run() async throws {
        let interval = storage.configuration.collectorInterval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if let removed = try await storage.collectGarbage(), removed > 0 {
                        logger.info("collected \(removed) blob(s) no object needs any more")
                    }
                } catch {
                    logger.error("blob collection failed, tried again in \(interval): \(error)")
                }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}
