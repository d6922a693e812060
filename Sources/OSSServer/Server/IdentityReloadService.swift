import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads users, keys and temporary credentials on SIGHUP, which `oss admin` sends after a
/// change beside a running server; it then acknowledges the change it read, and the admin
/// command, which waits for that, reports the change in effect. A failed reload keeps the keys
/// as they were and is logged; the admin command then says the change waits for a restart.
///
/// A server whose metadata others share cannot be signalled by all who change it, so it also
/// looks at the change counter every ``sharedPollInterval`` and reloads when it moved.
struct IdentityReloadService: Service {
    let storage: ObjectStorage
    let keyring: Keyring
    let logger: Logger
    static let sharedPollInterval: Duration = .seconds(2)

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        // Only now may admin commands signal this process.
        try storage.announceServer()
        let loaded = try? await storage.identities.generation()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in signals { _ = await reload() }
                }
                if storage.metadata.isShared {
                    group.addTask {
                        var seen = loaded
                        while !Task.isCancelled {
                            try? await Task.sleep(for: Self.sharedPollInterval)
                            guard let current = try? await storage.identities.generation(), current != seen else { continue }
                            if await reload() { seen = current }
                        }
                    }
                }
                await group.waitForAll()
            }
        }
    }

    /// Reloads and acknowledges; whether it worked.
    private func reload() async -> Bool {
        do {
            let generation = try await storage.identities.generation()
            try await keyring.reload(from: storage.identities)
            try await storage.identities.acknowledge(generation)
            logger.info("reloaded users and keys (change \(generation))")
            return true
        } catch {
            logger.error("reloading users and keys failed, the previous ones stay in effect: \(error)")
            return false
        }
    }
}
