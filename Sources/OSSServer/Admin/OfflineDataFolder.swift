import Foundation
import Logging

/// A server's data folder as a command opens it: recovery runs as at the server's start, and a
/// folder a running server holds comes back as `.dataDirectoryInUse` for the command to decide.
enum OfflineDataFolder {
    /// `nil` when there is no folder at `dataDirectory`.
    static func open(_ dataDirectory: URL, label: String) async -> Result<ObjectStorage, StorageError>? {
        let directory = dataDirectory.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        var logger = Logger(label: label)
        logger.logLevel = .warning
        do throws(StorageError) {
            return .success(try await ObjectStorage.open(directory: directory, logger: logger))
        } catch {
            return .failure(error)
        }
    }
}
