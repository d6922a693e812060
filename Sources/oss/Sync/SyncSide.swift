import Foundation
import OSSClient

/// One side of a sync: a local folder, or a prefix of a bucket.
enum SyncSide: Sendable, CustomStringConvertible {
    case local(URL)
    /// `prefix` is empty or ends with `/`: `oss://bkt/photos` and `oss://bkt/photos/` are one prefix.
    case remote(bucket: String, prefix: String)

    init(_ text: String) {
        if let path = ObjectPath(text) {
            let prefix = path.key.isEmpty || path.key.hasSuffix("/") ? path.key : path.key + "/"
            self = .remote(bucket: path.bucket, prefix: prefix)
        } else {
            self = .local(URL(fileURLWithPath: text, isDirectory: true).standardizedFileURL)
        }
    }

    var isLocal: Bool {
        if case .local = self { return true }
        return false
    }

    /// Where `relative` is on this side, as printed.
    func display(_ relative: String) -> String {
        switch self {
        case .local(let root): root.appendingPathComponent(relative).path
        case .remote(let bucket, let prefix): "oss://\(bucket)/\(prefix)\(relative)"
        }
    }

    var description: String {
        switch self {
        case .local(let root): root.path
        case .remote(let bucket, let prefix): "oss://\(bucket)/\(prefix)"
        }
    }

    /// The file `relative` names under a local root; `nil` when the path would leave the
    /// folder (`..`, `.` or empty parts in a key).
    static func file(_ relative: String, under root: URL) -> URL? {
        CopyCommand.safeComponents(relative).map { $0.reduce(root) { $0.appendingPathComponent($1) } }
    }

    /// Every file on this side, by relative path. Objects whose key ends with `/` (folder
    /// markers) are not files. A missing local folder is an empty destination but never an
    /// empty source: a mistyped source with `--delete` would otherwise empty the destination.
    func listing(_ client: OSSClient, asSource: Bool) async throws -> [String: SyncEntry] {
        switch self {
        case .local(let root):
            return try LocalTree.files(under: root, mayBeMissing: !asSource).mapValues { SyncEntry(size: $0.size, stamp: $0) }
        case .remote(let bucket, let prefix):
            var entries: [String: SyncEntry] = [:]
            let request = OSSListObjectsV2Request(bucket: bucket, prefix: prefix.isEmpty ? nil : prefix)
            for try await page in client.listObjectsV2Pages(request) {
                for object in page.contents where !object.key.hasSuffix("/") {
                    entries[String(object.key.dropFirst(prefix.count))] = SyncEntry(size: object.size, crc64: object.crc64)
                }
            }
            return entries
        }
    }
}
