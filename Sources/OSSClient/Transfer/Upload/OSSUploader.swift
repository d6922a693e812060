import Foundation
import NIOCore
import OSSProtocol

/// Uploads files and streams of any size: one PutObject when small, otherwise a multipart
/// upload with parts in parallel, each part CRC-checked, and the whole object's CRC (combined
/// from the parts) checked against Complete's. File uploads can resume from a checkpoint.
///
/// ```swift
/// let uploader = OSSUploader(client: client, options: .init(checkpointDirectory: checkpoints))
/// let result = try await uploader.upload(file: url, bucket: "bkt", key: "backup.tar")
/// ```
///
/// Cancelling the calling task stops every in-flight part request.
public struct OSSUploader: Sendable {
    /// The client whose connection pool and settings are used.
    public let client: OSSClient
    /// How uploads are cut, parallelised and recorded.
    public let options: OSSUploaderOptions

    /// Creates an uploader.
    public init(client: OSSClient, options: OSSUploaderOptions = OSSUploaderOptions()) {
        self.client = client
        self.options = options
    }

    /// Uploads a local file.
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` for damage, ``OSSClientError/localFile(path:reason:)``
    ///   when the file changes during the upload, ``OSSClientError/staleCheckpoint(_:)`` under
    ///   ``OSSStaleCheckpointPolicy/fail``, `CancellationError` when cancelled.
    public func upload(file: URL, bucket: String, key: String) async throws -> OSSUploadResult {
        let path = file.standardizedFileURL.path
        let identity = try FileIdentity(path: path)
        let progress = ProgressTracker(total: identity.size, handler: options.progress)
        guard identity.size >= options.multipartThreshold else {
            return try await singlePut(.file(file), bucket: bucket, key: key, progress: progress)
        }
        let checkpointFile = Self.checkpointFile(path: path, bucket: bucket, key: key, options: options)
        let start = try await startOrResume(path: path, identity: identity, bucket: bucket, key: key, checkpointFile)
        let recorder = CheckpointRecorder(start, file: checkpointFile)
        try await checkpointFile?.save(start)
        let plan = PartPlan(size: identity.size, exactPartSize: start.partSize)
        let done = Set(start.parts.map(\.partNumber))
        progress.resume(start.parts.reduce(0) { $0 + $1.size })
        var completing = false
        do {
            let file = try await LocalFile.openForReading(path)
            defer { file.close() }
            let missing = plan.parts.filter { !done.contains($0.number) }
            try await forEachConcurrently(missing, limit: options.concurrency) { [client] part in
                let buffer = try await file.read(at: part.offset, count: Int(part.size))
                let uploaded = try await progress.reportingSent(size: { _ in part.size }) { report in
                    try await client.uploadPart(
                        OSSUploadPartRequest(
                            bucket: bucket, key: key, uploadID: start.uploadID, partNumber: part.number,
                            body: .buffer(buffer)),
                        reportingSent: report)
                }
                try await recorder.update { $0.parts.append(uploaded.part) }
            }
            guard try FileIdentity(path: path) == identity else {
                throw OSSClientError.localFile(path: path, reason: "changed during the upload; upload it again")
            }
            let parts = await recorder.value.parts
            completing = true
            let complete = try await client.completeMultipartUpload(
                OSSCompleteMultipartUploadRequest(
                    bucket: bucket, key: key, uploadID: start.uploadID, parts: parts, acl: options.objectOptions.acl,
                    forbidOverwrite: options.objectOptions.forbidOverwrite))
            checkpointFile?.remove()
            return OSSUploadResult(
                etag: complete.result.etag, crc64: complete.crc64, crcVerification: complete.crcVerification,
                size: identity.size, partCount: plan.parts.count, resumedParts: done.count)
        } catch {
            // A resumable upload keeps its verified parts for the next attempt (a damaged part
            // was refused, so none is recorded); only a finished Complete ends the checkpoint.
            if checkpointFile == nil {
                await abandon(bucket: bucket, key: key, uploadID: start.uploadID)
            } else if completing, Self.isIntegrityFailure(error) {
                checkpointFile?.remove()
            }
            throw error
        }
    }

    /// Where an upload of `file` to `bucket`/`key` keeps its checkpoint while unfinished (`nil`
    /// without a checkpoint directory): a caller that stopped an upload can tell whether it is
    /// resumable by whether this file exists.
    public static func checkpointLocation(file: URL, bucket: String, key: String, options: OSSUploaderOptions) -> URL? {
        checkpointFile(path: file.standardizedFileURL.path, bucket: bucket, key: key, options: options)
            .map { URL(fileURLWithPath: $0.path) }
    }

    private static func checkpointFile(
        path: String, bucket: String, key: String, options: OSSUploaderOptions
    ) -> CheckpointFile<UploadCheckpoint>? {
        options.checkpointDirectory.map {
            CheckpointFile<UploadCheckpoint>(directory: $0, kind: "upload", identity: [bucket, key, path])
        }
    }

    /// The checkpoint to continue from, or a new upload when there is none or it is stale.
    private func startOrResume(
        path: String, identity: FileIdentity, bucket: String, key: String,
        _ checkpointFile: CheckpointFile<UploadCheckpoint>?
    ) async throws -> UploadCheckpoint {
        if let checkpointFile, let saved = checkpointFile.load() {
            if let reason = try await staleness(of: saved, path: path, identity: identity) {
                guard options.staleCheckpointPolicy == .restart else {
                    throw OSSClientError.staleCheckpoint("\(reason) (checkpoint \(checkpointFile.path))")
                }
                client.logger.debug("discarding upload checkpoint: \(reason)")
                checkpointFile.remove()
                await abandon(bucket: bucket, key: key, uploadID: saved.uploadID)
            } else {
                return try await confirmedParts(of: saved)
            }
        }
        let plan = PartPlan(size: identity.size, preferredPartSize: options.partSize)
        let upload = try await client.initiateMultipartUpload(bucket: bucket, key: key, options: options.objectOptions)
        return UploadCheckpoint(
            bucket: bucket, key: key, filePath: path, file: identity, partSize: plan.partSize,
            uploadID: upload.uploadID, parts: [])
    }

    /// Why a checkpoint cannot be resumed, or `nil` when it can.
    private func staleness(of saved: UploadCheckpoint, path: String, identity: FileIdentity) async throws -> String? {
        if saved.file != identity { return "the file \(path) changed since the checkpoint (size or modification time)" }
        do {
            _ = try await client.listParts(
                OSSListPartsRequest(bucket: saved.bucket, key: saved.key, uploadID: saved.uploadID, maxParts: 1))
        } catch let error as OSSClientError where error.serviceCode == "NoSuchUpload" {
            return "the unfinished upload \(saved.uploadID) no longer exists"
        }
        return nil
    }

    /// Keeps only the recorded parts that the server still has with the same ETag and CRC.
    private func confirmedParts(of saved: UploadCheckpoint) async throws -> UploadCheckpoint {
        var listed: [Int: OSSListPartsResult.Part] = [:]
        for try await page in client.listPartsPages(
            OSSListPartsRequest(bucket: saved.bucket, key: saved.key, uploadID: saved.uploadID))
        {
            for part in page.parts { listed[part.partNumber] = part }
        }
        var confirmed = saved
        confirmed.parts = saved.parts.filter { part in
            guard let server = listed[part.partNumber] else { return false }
            return OSSETag.matches(server.etag, part.etag) && server.size == part.size
                && (server.crc64 == nil || server.crc64 == part.crc64)
        }
        return confirmed
    }

    /// Uploads in one PutObject, for sources below the multipart threshold.
    func singlePut(_ body: OSSUploadBody, bucket: String, key: String, progress: ProgressTracker) async throws
        -> OSSUploadResult
    {
        let put = try await progress.reportingSent(size: \.size) { [client, options] report in
            try await client.putObject(
                OSSPutObjectRequest(bucket: bucket, key: key, body: body, options: options.objectOptions),
                reportingSent: report)
        }
        return OSSUploadResult(
            etag: put.etag, crc64: put.crc64, crcVerification: put.crcVerification, size: put.size, partCount: 0,
            resumedParts: 0)
    }

    /// Aborts an upload in a task of its own, so that it still runs when the caller was
    /// cancelled; failures are ignored (the upload may already be gone).
    func abandon(bucket: String, key: String, uploadID: String) async {
        let client = client
        await Task {
            try? await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        }.value
    }

    static func isIntegrityFailure(_ error: any Error) -> Bool {
        if (error as? OSSClientError)?.isCRCMismatch == true { return true }
        return false
    }
}
