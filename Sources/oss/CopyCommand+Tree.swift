import ArgumentParser
import Foundation
import OSSClient
import Synchronization

/// `oss cp --recursive`: a local folder to a prefix, or a prefix to a local folder: every file
/// copied and verified, `--jobs` files at once over one connection pool, by the engine of
/// `oss sync` with nothing compared and nothing deleted.
extension CopyCommand {
    func copyTree(from source: SyncSide, to destination: SyncSide, checkpoints: URL?) async throws {
        let settings = SyncSettings(
            copiesEverything: true, jobs: parallel, partSize: transfer.partBytes, checkpoints: checkpoints, quiet: transfer.quiet)
        let connection = connection
        let running = Mutex<SyncRun?>(nil)
        let summary = try await Interruption.run(
            message: {
                let done = running.withLock { $0 }?.result ?? SyncSummary()
                return "interrupted after \(done.copied) files were copied whole; 'oss sync' with the same folder and prefix copies only the rest"
            }
        ) {
            try await withClient(connection) { client in
                let run = SyncRun(
                    source: source, destination: destination, settings: settings, client: client,
                    cacheFolder: UserFolders().syncCache)
                running.withLock { $0 = run }
                return try await run.run()
            }
        }
        let checked = summary.unverified == 0 ? "CRC-64 verified for every file" : "\(summary.unverified) file(s) UNVERIFIED"
        print("\(summary.copied) file\(summary.copied == 1 ? "" : "s"), \(summary.copiedBytes) bytes: \(checked)")
        if !summary.failures.isEmpty {
            throw CommandFailure("\(summary.failures.count) file(s) failed (see above); run the same command again, or 'oss sync' to copy only what is missing")
        }
    }

    /// The path components of a key below the copied prefix, or `nil` when a component would
    /// leave the destination folder (`..`), stand for it (`.`) or is empty (`a//b`): keys are
    /// not file names, and a hostile bucket must not write outside the folder.
    static func safeComponents(_ relative: String) -> [String]? {
        var parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\u{0}") }) else { return nil }
        return parts
    }
}
