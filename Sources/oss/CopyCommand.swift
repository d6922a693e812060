import ArgumentParser
import Foundation
import OSSClient

/// `oss cp`: upload, download or server-side copy, every byte checked with CRC-64.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Copy a file to or from OSS, or between objects, verifying CRC-64 end to end.",
        discussion: """
            Large files go as parallel multipart uploads and ranged downloads; the whole-object \
            CRC-64 is combined from the parts and compared with the server's. A download that \
            fails its check leaves nothing at the destination. Transfers of 16 MiB or more keep a \
            checkpoint (in ~/.local/state/oss/checkpoints, or $XDG_STATE_HOME/oss/checkpoints, or \
            --checkpoint-dir): interrupted (Ctrl-C, SIGTERM, a lost connection), they resume \
            where they stopped when the same command runs again. Without one (--no-checkpoint, \
            or smaller files) an interrupted transfer leaves nothing behind: no partial file, \
            no unfinished upload. An interrupted command exits with status 130.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var transfer: TransferOptions

    @Flag(
        name: .shortAndLong,
        help: "Copy a folder to oss://bucket/prefix/, or every object under a prefix into a folder.")
    var recursive = false

    @Argument(help: "A local file or oss://bucket/key.")
    var source: String

    @Argument(help: "A local file or directory, or oss://bucket/key (oss://bucket/prefix/ keeps the file name).")
    var destination: String

    func validate() throws {
        if ObjectPath(source) == nil && ObjectPath(destination) == nil {
            throw ValidationError("one of SOURCE and DESTINATION must be an oss://bucket/key path; for local copies use cp(1)")
        }
        if recursive, ObjectPath(source) != nil, ObjectPath(destination) != nil {
            throw ValidationError("--recursive copies between a folder and a prefix; server-side copies take one object")
        }
    }

    /// Parts (or, with `--recursive`, files) in flight at once.
    var parallel: Int { transfer.jobs ?? (recursive ? 8 : 4) }

    func run() async throws {
        let checkpoints = transfer.checkpoints
        switch (ObjectPath(source), ObjectPath(destination)) {
        case (nil, _?) where recursive, (_?, nil) where recursive:
            try await copyTree(from: SyncSide(source), to: SyncSide(destination), checkpoints: checkpoints)
        case (nil, let remote?): try await upload(to: remote, checkpoints: checkpoints)
        case (let remote?, nil): try await download(from: remote, checkpoints: checkpoints)
        case (let from?, let to?): try await copy(from: from, to: to)
        case (nil, nil): break
        }
    }

    func bar(_ label: String, total: Int64?) -> ProgressBar? {
        transfer.quiet ? nil : ProgressBar(label: label, total: total)
    }

    /// The uploader settings of the command line, reporting to `bar`.
    func uploaderOptions(_ bar: ProgressBar?, checkpoints: URL?) -> OSSUploaderOptions {
        OSSUploaderOptions(
            partSize: transfer.partBytes, multipartThreshold: TransferOptions.checkpointThreshold, concurrency: parallel,
            checkpointDirectory: checkpoints, progress: Self.handler(bar))
    }

    /// The downloader settings of the command line, reporting to `bar`.
    func downloaderOptions(_ bar: ProgressBar?, checkpoints: URL?) -> OSSDownloaderOptions {
        OSSDownloaderOptions(
            partSize: transfer.partBytes, concurrency: parallel, checkpointDirectory: checkpoints,
            checkpointThreshold: TransferOptions.checkpointThreshold, progress: Self.handler(bar))
    }

    static func handler(_ bar: ProgressBar?) -> OSSProgressHandler? {
        guard let bar else { return nil }
        return { progress in
            bar.update(done: progress.bytesTransferred, total: progress.totalBytes, resumed: progress.resumedBytes)
        }
    }

    private func upload(to remote: ObjectPath, checkpoints: URL?) async throws {
        let file = URL(fileURLWithPath: source)
        var destination = remote
        if destination.key.isEmpty || destination.key.hasSuffix("/") { destination.key += file.lastPathComponent }
        let size = try Self.fileSize(file.path)
        let progress = bar("upload", total: size)
        let options = uploaderOptions(progress, checkpoints: checkpoints)
        let (connection, target) = (connection, destination)
        let result = try await Interruption.run(
            message: {
                progress?.abandon()
                return Interruption.message(
                    checkpoint: OSSUploader.checkpointLocation(file: file, bucket: target.bucket, key: target.key, options: options),
                    kept: "the verified parts uploaded so far", discard: "oss mp abort \(target)")
            }
        ) {
            try await withClient(connection) { client in
                try await OSSUploader(client: client, options: options).upload(file: file, bucket: target.bucket, key: target.key)
            }
        }
        progress?.finish()
        print("\(source) -> \(target)  \(result.size) bytes  \(result.crcVerification.summary)"
            + Self.resumed(result.resumedParts, of: result.partCount))
    }

    private func download(from remote: ObjectPath, checkpoints: URL?) async throws {
        guard !remote.key.isEmpty else { throw CommandFailure("'\(source)' names a bucket, not an object") }
        var file = URL(fileURLWithPath: destination)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file.appendPathComponent(String(remote.key.split(separator: "/").last ?? Substring(remote.key)))
        }
        let progress = bar("download", total: nil)
        let options = downloaderOptions(progress, checkpoints: checkpoints)
        let (connection, target) = (connection, file)
        let result = try await Interruption.run(
            message: {
                progress?.abandon()
                return Interruption.message(
                    checkpoint: OSSDownloader.checkpointLocation(bucket: remote.bucket, key: remote.key, destination: target, options: options),
                    kept: "the verified ranges downloaded so far")
            }
        ) {
            try await withClient(connection) { client in
                try await OSSDownloader(client: client, options: options).download(bucket: remote.bucket, key: remote.key, to: target)
            }
        }
        progress?.finish()
        print("\(remote) -> \(file.path)  \(result.size) bytes  \(result.crcVerification.summary)"
            + Self.resumed(result.resumedParts, of: result.partCount))
    }

    private func copy(from: ObjectPath, to: ObjectPath) async throws {
        var destination = to
        if destination.key.isEmpty || destination.key.hasSuffix("/") {
            destination.key += String(from.key.split(separator: "/").last ?? Substring(from.key))
        }
        let progress = bar("copy", total: nil)
        let options = OSSCopier.Options(
            partSize: transfer.partBytes, concurrency: parallel,
            progress: Self.handler(progress))
        let (connection, target) = (connection, destination)
        let result = try await Interruption.run(
            message: {
                progress?.abandon()
                return "interrupted: nothing was left behind (an unfinished multipart copy was aborted)"
            }
        ) {
            try await withClient(connection) { client in
                try await OSSCopier(client: client, options: options).copy(
                    sourceBucket: from.bucket, sourceKey: from.key, bucket: target.bucket, key: target.key)
            }
        }
        progress?.finish()
        print("\(from) -> \(target)  \(result.crcVerification.summary)")
    }

    /// How much of a resumed transfer a checkpoint saved; nothing for a fresh one.
    static func resumed(_ parts: Int, of total: Int) -> String {
        parts > 0 ? "  (resumed: \(parts) of \(total) parts were already done)" : ""
    }

    static func fileSize(_ path: String) throws -> Int64 {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { throw CommandFailure("\(path): not a regular file") }
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(path): no such file or not readable")
        }
    }
}
