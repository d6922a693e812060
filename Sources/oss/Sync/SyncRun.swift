import Foundation
import OSSClient
import Synchronization

/// What a sync did, for its summary line and `--output json`.
struct SyncSummary: Sendable {
    struct Action: Sendable {
        var action: String
        var path: String
        var bytes: Int64
    }

    var copied = 0
    var copiedBytes: Int64 = 0
    var identical = 0
    var skipped = 0
    var deleted = 0
    var failures: [(path: String, error: String)] = []
    var actions: [Action] = []
    var unverified = 0
}

/// The settings of one sync run.
struct SyncSettings: Sendable {
    /// `cp -r`: every source file is copied; the destination is neither listed nor compared.
    var copiesEverything = false
    var filter = SyncFilter()
    var delete = false
    var dryRun = false
    var sizeOnly = false
    var jobs = 8
    var partSize: Int64 = 8 << 20
    var checkpoints: URL?
    var quiet = false
    var printsLines = true
}

/// One run of `oss sync`: lists both sides, decides per path, and carries out the decisions
/// `jobs` at a time. A path that fails is reported and counted, and the others go on; an
/// interruption (task cancellation) stops everything, leaving what was finished finished.
final class SyncRun: Sendable {
    let source: SyncSide
    let destination: SyncSide
    let settings: SyncSettings
    let client: OSSClient
    private let sourceCache: CRCCache?
    private let destinationCache: CRCCache?
    private let summary = Mutex(SyncSummary())
    private let progress: SyncProgress

    init(source: SyncSide, destination: SyncSide, settings: SyncSettings, client: OSSClient, cacheFolder: URL) {
        self.source = source
        self.destination = destination
        self.settings = settings
        self.client = client
        sourceCache = if case .local(let root) = source { CRCCache(root: root, folder: cacheFolder) } else { nil }
        destinationCache = if case .local(let root) = destination { CRCCache(root: root, folder: cacheFolder) } else { nil }
        progress = SyncProgress(showsBar: !settings.quiet, printsLines: settings.printsLines)
    }

    /// What was done so far (also after an interruption).
    var result: SyncSummary { summary.withLock { $0 } }

    func run() async throws -> SyncSummary {
        defer {
            sourceCache?.save()
            destinationCache?.save()
            progress.finish()
        }
        async let sourceListing = source.listing(client, asSource: true)
        async let destinationListing = settings.copiesEverything ? [:] : destination.listing(client, asSource: false)
        let (from, to) = try await (sourceListing, destinationListing)
        sourceCache?.retain(Set(from.keys))
        let plan = SyncPlan(
            source: from, destination: to, filter: settings.filter, sizeOnly: settings.sizeOnly, delete: settings.delete)
        progress.start(total: plan.transfers.reduce(0) { $0 + $1.entry.size })
        try await forEach(plan.transfers, limit: settings.jobs) { [self] item in
            try await handle(item.path, item.entry, item.decision, existing: to[item.path])
        }
        if !plan.deletions.isEmpty { try await delete(plan.deletions) }
        return result
    }

    // MARK: - One path

    private func handle(_ path: String, _ entry: SyncEntry, _ decision: SyncDecision, existing: SyncEntry?) async throws {
        do {
            switch decision {
            case .skip:
                summary.withLock { $0.skipped += 1 }
                progress.done(entry.size)
            case .compare:
                var sourceCRC = entry.crc64
                if sourceCRC == nil { sourceCRC = try await crc(of: path, on: source, cache: sourceCache) }
                var destinationCRC = existing?.crc64
                if destinationCRC == nil { destinationCRC = try await crc(of: path, on: destination, cache: destinationCache) }
                if let sourceCRC, sourceCRC == destinationCRC {
                    summary.withLock { $0.identical += 1 }
                    progress.done(entry.size)
                } else {
                    try await copy(path, entry, reason: "content differs")
                }
            case .copy:
                try await copy(path, entry, reason: existing == nil ? "new" : "size differs")
            case .delete:
                break
            }
        } catch let error where !(error is CancellationError) && !Task.isCancelled {
            progress.done(entry.size)
            let message = "\(error)"
            summary.withLock { $0.failures.append((path, message)) }
            progress.interject("failed: \(source.display(path)): \(message)", error: true)
        }
    }

    /// The CRC-64 of `path` on `side` when its listing had none: a local file's from the cache or
    /// read at memory speed, an object's from HEAD (servers other than swift-oss do not list
    /// CRCs); `nil` when the object has none (it is then copied).
    private func crc(of path: String, on side: SyncSide, cache: CRCCache?) async throws -> UInt64? {
        switch side {
        case .local(let root):
            guard let file = SyncSide.file(path, under: root), let stamp = LocalFileStamp(path: file.path) else { return nil }
            if let known = cache?.crc(of: path, stamp: stamp) { return known }
            let crc = try await FileChecksummer(variant: .xz, kernel: .best).checksum(path: file.path)
            // Recorded under the stamp read before the bytes: a file changed while being read
            // has a newer stamp by then, and is read again next time.
            cache?.record(crc, of: path, stamp: stamp)
            return crc
        case .remote(let bucket, let prefix):
            return try await client.headObject(bucket: bucket, key: prefix + path).crc64
        }
    }

    private func copy(_ path: String, _ entry: SyncEntry, reason: String) async throws {
        let line = "\(settings.dryRun ? "(dry run) " : "")copy: \(source.display(path)) -> \(destination.display(path))"
        guard !settings.dryRun else {
            record(path, entry.size, verified: true)
            progress.done(entry.size)
            progress.interject(line + "  (\(reason))")
            return
        }
        let report: OSSProgressHandler = { [progress] update in progress.inFlight(path, update.bytesTransferred) }
        let verification: OSSCRCVerification
        switch (source, destination) {
        case (.local(let root), .remote(let bucket, let prefix)):
            let file = root.appendingPathComponent(path)
            let options = OSSUploaderOptions(
                partSize: settings.partSize, multipartThreshold: TransferOptions.checkpointThreshold, concurrency: 2,
                checkpointDirectory: settings.checkpoints, progress: report)
            let result = try await OSSUploader(client: client, options: options).upload(file: file, bucket: bucket, key: prefix + path)
            verification = result.crcVerification
            if case .verified(let crc) = verification, let stamp = entry.stamp { sourceCache?.record(crc, of: path, stamp: stamp) }
        case (.remote(let bucket, let prefix), .local(let root)):
            guard let file = SyncSide.file(path, under: root) else {
                throw CommandFailure("the key would land outside \(root.path) ('..', '.' or an empty part); not downloaded")
            }
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let options = OSSDownloaderOptions(
                partSize: settings.partSize, concurrency: 2, checkpointDirectory: settings.checkpoints,
                checkpointThreshold: TransferOptions.checkpointThreshold, progress: report)
            let result = try await OSSDownloader(client: client, options: options).download(bucket: bucket, key: prefix + path, to: file)
            verification = result.crcVerification
            if case .verified(let crc) = verification, let stamp = LocalFileStamp(path: file.path) {
                destinationCache?.record(crc, of: path, stamp: stamp)
            }
        case (.remote(let fromBucket, let fromPrefix), .remote(let bucket, let prefix)):
            let options = OSSCopier.Options(partSize: max(settings.partSize, 64 << 20), concurrency: 2, progress: report)
            let result = try await OSSCopier(client: client, options: options).copy(
                sourceBucket: fromBucket, sourceKey: fromPrefix + path, bucket: bucket, key: prefix + path)
            verification = result.crcVerification
        case (.local, .local):
            throw CommandFailure("local-to-local sync is not supported; use rsync")
        }
        record(path, entry.size, verified: verification.isVerified)
        progress.finished(path, entry.size)
        progress.interject(line + "  \(verification.summary)")
    }

    private func record(_ path: String, _ bytes: Int64, verified: Bool) {
        summary.withLock {
            $0.copied += 1
            $0.copiedBytes += bytes
            if !verified { $0.unverified += 1 }
            $0.actions.append(.init(action: "copy", path: path, bytes: bytes))
        }
    }

    // MARK: - Deletions

    private func delete(_ paths: [String]) async throws {
        for path in paths {
            progress.interject("\(settings.dryRun ? "(dry run) " : "")delete: \(destination.display(path))")
        }
        if !settings.dryRun {
            switch destination {
            case .remote(let bucket, let prefix):
                for start in stride(from: 0, to: paths.count, by: 1000) {
                    let batch = paths[start..<min(start + 1000, paths.count)].map { prefix + $0 }
                    _ = try await client.deleteObjects(bucket: bucket, keys: batch, quiet: true)
                }
            case .local(let root):
                for path in paths {
                    guard let file = SyncSide.file(path, under: root) else { continue }
                    try FileManager.default.removeItem(at: file)
                }
            }
        }
        summary.withLock { summary in
            summary.deleted += paths.count
            summary.actions += paths.map { .init(action: "delete", path: $0, bytes: 0) }
        }
    }

    /// Runs `body` for every element, at most `limit` at once, stopping at the first error
    /// `body` throws (`body` reports per-path failures itself; what it throws is cancellation).
    private func forEach<T: Sendable>(
        _ items: [T], limit: Int, _ body: @escaping @Sendable (T) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = items.startIndex
            while next < items.endIndex, next - items.startIndex < limit {
                let item = items[next]
                group.addTask { try await body(item) }
                next += 1
            }
            while try await group.next() != nil {
                if next < items.endIndex {
                    let item = items[next]
                    group.addTask { try await body(item) }
                    next += 1
                }
            }
        }
    }
}
