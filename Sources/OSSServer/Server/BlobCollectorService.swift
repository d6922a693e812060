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
        await runPeriodically(every: storage.configuration.collectorInterval, logger: logger, what: "blob collection") {
            if let removed = try await storage.collectGarbage(), removed > 0 {
                logger.info("collected \(removed) blob(s) no object needs any more")
            }
        }
    }
}
