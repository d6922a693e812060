import Foundation

/// What identifies a local file's content cheaply: size and modification time. A resumable
/// transfer records it and refuses to reuse its checkpoint when either changed.
struct FileIdentity: Codable, Sendable, Hashable {
    var size: Int64
    /// Modification time in nanoseconds since 1970, as precise as the file system keeps it.
    var modified: Int64

    /// Reads the identity of a file.
    /// - Throws: ``OSSClientError/localFile(path:reason:)`` when the file is missing.
    init(path: String) throws(OSSClientError) {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw .localFile(path: path, reason: "cannot read its attributes: \(error.localizedDescription)")
        }
        size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let date = attributes[.modificationDate] as? Date ?? .distantPast
        modified = Int64((date.timeIntervalSince1970 * 1e9).rounded())
    }
}

extension FileManager {
    /// Removes a file if it exists; a missing file is not an error (clean-up paths call this).
    func removeIfPresent(_ path: String) {
        try? removeItem(atPath: path)
    }
}
