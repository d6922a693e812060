import ArgumentParser
import Foundation
import OSSClient
import Synchronization

/// `oss cp --recursive`: a local folder to a prefix, or a prefix to a local folder, one verified
/// transfer per file over one connection pool.
extension CopyCommand {
    func uploadTree(from folder: String, to remote: ObjectPath, checkpoints: URL?) async throws {
        let root = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
        let files = try Self.regularFiles(under: root)
        let prefix = remote.key.isEmpty || remote.key.hasSuffix("/") ? remote.key : remote.key + "/"
        let current = TreeInterruption()
        let summary = try await Interruption.run(message: { current.message(of: files.count) }) {
            var summary = TreeSummary()
            try await withClient(connection) { client in
                for relative in files {
                    let file = root.appendingPathComponent(relative)
                    let target = ObjectPath(bucket: remote.bucket, key: prefix + relative)
                    let size = try Self.fileSize(file.path)
                    let progress = bar(relative, total: size)
                    let options = uploaderOptions(progress, checkpoints: checkpoints)
                    current.start(
                        progress, OSSUploader.checkpointLocation(file: file, bucket: target.bucket, key: target.key, options: options),
                        kept: "the verified parts of \(relative) uploaded so far", discard: "oss mp abort \(target)")
                    let result = try await OSSUploader(client: client, options: options).upload(
                        file: file, bucket: target.bucket, key: target.key)
                    progress?.finish()
                    print("\(file.path) -> \(target)  \(result.size) bytes  \(result.crcVerification.summary)")
                    summary.add(result.size, result.crcVerification)
                    current.finished()
                }
            }
            return summary
        }
        print(summary.line)
    }

    func downloadTree(from remote: ObjectPath, to folder: String, checkpoints: URL?) async throws {
        let root = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
        let prefix = remote.key
        let current = TreeInterruption()
        let summary = try await Interruption.run(message: { current.message(of: nil) }) {
            var summary = TreeSummary()
            try await withClient(connection) { client in
                let request = OSSListObjectsV2Request(bucket: remote.bucket, prefix: prefix.isEmpty ? nil : prefix)
                for try await page in client.listObjectsV2Pages(request) {
                    for object in page.contents {
                        let relative = String(object.key.dropFirst(prefix.count))
                        guard let components = Self.safeComponents(relative) else {
                            throw CommandFailure(
                                "oss://\(remote.bucket)/\(object.key): the key would land outside \(root.path) ('..', '.' or an empty part); nothing after it was downloaded")
                        }
                        let destination = components.reduce(root) { $0.appendingPathComponent($1) }
                        if relative.hasSuffix("/") || components.isEmpty {
                            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
                            continue
                        }
                        try FileManager.default.createDirectory(
                            at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                        let progress = bar(relative, total: nil)
                        let options = downloaderOptions(progress, checkpoints: checkpoints)
                        current.start(
                            progress,
                            OSSDownloader.checkpointLocation(bucket: remote.bucket, key: object.key, destination: destination, options: options),
                            kept: "the verified ranges of \(relative) downloaded so far")
                        let result = try await OSSDownloader(client: client, options: options).download(
                            bucket: remote.bucket, key: object.key, to: destination)
                        progress?.finish()
                        print("oss://\(remote.bucket)/\(object.key) -> \(destination.path)  \(result.size) bytes  \(result.crcVerification.summary)")
                        summary.add(result.size, result.crcVerification)
                        current.finished()
                    }
                }
            }
            return summary
        }
        print(summary.line)
    }

    /// Regular files under `root`, as `/`-separated paths relative to it, in sorted order.
    /// Symbolic links and other special files are skipped with a note (uploading what a link
    /// points to would copy data from outside the folder).
    static func regularFiles(under root: URL) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure("\(root.path): not a folder (--recursive copies folders)")
        }
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw CommandFailure("\(root.path): cannot read the folder")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            if type == .typeRegular {
                files.append(relative)
            } else if type != .typeDirectory {
                FileHandle.standardError.write(Data("skipping \(root.path)/\(relative): not a regular file\n".utf8))
            }
        }
        return files.sorted()
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

/// The closing line of a recursive copy.
struct TreeSummary {
    var files = 0
    var bytes: Int64 = 0
    var unverified = 0

    mutating func add(_ size: Int64, _ verification: OSSCRCVerification) {
        files += 1
        bytes += size
        if case .unverified = verification { unverified += 1 }
    }

    var line: String {
        let checked = unverified == 0 ? "CRC-64 verified for every file" : "\(unverified) file(s) UNVERIFIED"
        return "\(files) file\(files == 1 ? "" : "s"), \(bytes) bytes: \(checked)"
    }
}

/// Where a tree copy stands, for the message of an interruption: the files finished (complete
/// and verified where they are) and the one under way, whose checkpoint may be kept.
final class TreeInterruption: Sendable {
    private struct State {
        var finished = 0
        var bar: ProgressBar?
        var checkpoint: URL?
        var kept = ""
        var discard: String?
    }

    private let state = Mutex(State())

    func start(_ bar: ProgressBar?, _ checkpoint: URL?, kept: String, discard: String? = nil) {
        state.withLock { $0 = State(finished: $0.finished, bar: bar, checkpoint: checkpoint, kept: kept, discard: discard) }
    }

    func finished() {
        state.withLock { $0.finished += 1; $0.bar = nil; $0.checkpoint = nil }
    }

    /// - Parameter total: the number of files, when known before the copy.
    func message(of total: Int?) -> String {
        let now = state.withLock { $0 }
        now.bar?.abandon()
        let count = total.map { "\(now.finished) of \($0)" } ?? "\(now.finished)"
        return "\(count) files were copied whole; " + Interruption.message(checkpoint: now.checkpoint, kept: now.kept, discard: now.discard)
    }
}
