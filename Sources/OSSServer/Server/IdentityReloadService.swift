import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads users, keys and temporary credentials on SIGHUP, which `oss admin` sends after a
/// change beside a running server; it then acknowledges the change it read, and the admin
/// command, which waits for that, reports the change in effect. A failed reload keeps the keys
/// as they were and is logged; the admin command then says the change waits for a restart.
struct IdentityReloadService: Service {
    let storage: ObjectStorage
    let keyring: Keyring
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        // Only now may admin commands signal this process.
        try storage.announceServer()
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    let generation = try await storage.identities.generation()
                    try await keyring.reload(from: storage.identities)
                    try await storage.identities.acknowledge(generation)
                    logger.info("reloaded users and keys (change \(generation))")
                } catch {
                    logger.error("reloading users and keys failed, the previous ones stay in effect: \(error)")
                }
            }
        }
    }
}
