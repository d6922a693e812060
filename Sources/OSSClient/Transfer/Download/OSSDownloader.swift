import CRC64
import Foundation
import NIOCore
import OSSProtocol

/// Downloads an object into a file with parallel ranged GETs written in place (positional
/// writes into a temporary file beside the destination), checks the CRC-64 of the whole file by
/// combining the ranges' CRCs, and only then renames it over the destination. Resumable with a
/// checkpoint.
///
/// Every range request carries `If-Match` with the ETag read at the start, so an object
/// replaced mid-download fails with `PreconditionFailed` instead of mixing two versions.
/// Cancelling the calling task stops every in-flight range.
public struct OSSDownloader: Sendable {
    /// Bytes gathered from the network before one positional write.
    static let writeSize = 1 << 20

    /// The client whose connection pool and settings are used.
    public let client: OSSClient
    /// How downloads are split, parallelised and recorded.
    public let options: OSSDownloaderOptions

    /// Creates a downloader.
    public init(client: OSSClient, options: OSSDownloaderOptions = OSSDownloaderOptions()) {
        self.client = client
        self.options = options
    }

    /// Downloads `bucket`/`key` to `destination`, replacing it when the download succeeds.
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` (the partial file and checkpoint are removed:
    ///   damaged data is never resumed), ``OSSClientError/service(_:)``, `CancellationError`.
    public func download(bucket: String, key: String, to destination: URL) async throws -> OSSDownloadResult {
        let destinationPath = destination.standardizedFileURL.path
        let head = try await client.headObject(bucket: bucket, key: key)
        let checkpointFile =
            head.contentLength >= options.checkpointThreshold
            ? Self.checkpointFile(bucket: bucket, key: key, destination: destinationPath, options: options) : nil
        let start = try await startOrResume(
            bucket: bucket, key: key, destination: destinationPath, head: head, checkpointFile)
        let plan = PartPlan(size: start.size, exactPartSize: start.partSize)
        let progress = ProgressTracker(total: start.size, handler: options.progress)
        let recorder = CheckpointRecorder(start, file: checkpointFile)
        do {
            let file = try await LocalFile.openForWriting(start.temporaryPath, truncate: false)
            defer { file.close() }
            try await file.truncate(to: start.size)
            try await checkpointFile?.save(start)
            progress.resume(plan.parts.filter { start.done[$0.number] != nil }.reduce(0) { $0 + $1.size })
            let missing = plan.parts.filter { start.done[$0.number] == nil && $0.size > 0 }
            try await forEachConcurrently(missing, limit: options.concurrency) { [self] part in
                let crc = try await fetch(part, of: start, into: file, progress: progress)
                try await recorder.update { $0.done[part.number] = crc }
            }
            let done = await recorder.value.done
            var combined: UInt64 = 0
            for part in plan.parts where part.size > 0 {
                combined = CRC64.xz.combine(combined, done[part.number] ?? 0, lengthOfB: UInt64(part.size))
            }
            let check = CRCCheck(enabled: client.configuration.verifiesCRC64, operation: "Download", bucket: bucket, key: key)
            let verification = try check.verify(server: start.crc64, client: combined)
            try await file.sync()
            try TemporaryPath(path: start.temporaryPath).publish(as: destinationPath)
            checkpointFile?.remove()
            return OSSDownloadResult(
                size: start.size, etag: start.etag, crc64: start.crc64, crcVerification: verification,
                partCount: plan.parts.count, resumedParts: start.done.count)
        } catch {
            if checkpointFile == nil || OSSUploader.isIntegrityFailure(error) {
                TemporaryPath(path: start.temporaryPath).remove()
                checkpointFile?.remove()
            }
            throw error
        }
    }

    /// Where a download of `bucket`/`key` to `destination` keeps its checkpoint while unfinished
    /// (`nil` without a checkpoint directory): a caller that stopped a download can tell whether
    /// it is resumable by whether this file exists.
    public static func checkpointLocation(
        bucket: String, key: String, destination: URL, options: OSSDownloaderOptions
    ) -> URL? {
        checkpointFile(bucket: bucket, key: key, destination: destination.standardizedFileURL.path, options: options)
            .map { URL(fileURLWithPath: $0.path) }
    }

    private static func checkpointFile(
        bucket: String, key: String, destination: String, options: OSSDownloaderOptions
    ) -> CheckpointFile<DownloadCheckpoint>? {
        options.checkpointDirectory.map {
            CheckpointFile<DownloadCheckpoint>(directory: $0, kind: "download", identity: [bucket, key, destination])
        }
    }

    /// One ranged GET written in place; returns the range's CRC. A retry rewrites the range.
    private func fetch(
        _ part: PartPlan.Part, of download: DownloadCheckpoint, into file: LocalFile, progress: ProgressTracker
    ) async throws -> UInt64 {
        let last = part.offset + part.size - 1
        var request = OSSGetObjectRequest(
            bucket: download.bucket, key: download.key, range: .closed(first: part.offset, last: last), strictRange: true,
            ifMatch: download.etag
        ).wire("GetObject range \(part.number)", method: .get)
        request.operation = "GetObject range \(part.offset)-\(last)"
        return try await client.perform(request) { response in
            let served = OSSByteRange.parse(
                contentRange: response.header("Content-Range") ?? "bytes 0-\(download.size - 1)/\(download.size)")
            guard let served, served.range == OSSByteRange(first: part.offset, last: last), served.objectSize == download.size
            else {
                throw OSSClientError.invalidResponse(
                    "asked for bytes \(part.offset)-\(last) of \(download.size), got \(response.header("Content-Range") ?? "the whole object")")
            }
            var hasher = CRC64Hasher(.xz)
            var position = part.offset
            // Network chunks are small (tens of KiB); writing them 1 MiB at a time (one pwritev,
            // no copying) saves a thread hop and a system call per chunk, for 1 MiB more memory
            // per part in flight.
            var pending: [ByteBuffer] = []
            var pendingOffset = position
            do {
                for try await chunk in response.body {
                    guard position + Int64(chunk.readableBytes) <= part.offset + part.size else {
                        throw OSSClientError.invalidResponse("the range \(part.offset)-\(last) returned too many bytes")
                    }
                    chunk.withUnsafeReadableBytes { hasher.update($0) }
                    pending.append(chunk)
                    position += Int64(chunk.readableBytes)
                    if position - pendingOffset >= Self.writeSize {
                        try await file.write(pending, at: pendingOffset)
                        progress.add(position - pendingOffset)
                        pendingOffset = position
                        pending.removeAll(keepingCapacity: true)
                    }
                }
                if position > pendingOffset {
                    try await file.write(pending, at: pendingOffset)
                    progress.add(position - pendingOffset)
                }
            } catch {
                position = pendingOffset
                progress.add(part.offset - position)
                throw error
            }
            guard position == part.offset + part.size else {
                progress.add(part.offset - position)
                throw OSSClientError.invalidResponse("the range \(part.offset)-\(last) ended after \(position - part.offset) bytes")
            }
            return hasher.checksum
        }
    }
}
