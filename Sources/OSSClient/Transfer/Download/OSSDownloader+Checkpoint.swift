import CRC64
import Foundation
import OSSProtocol

extension OSSDownloader {
    /// The checkpoint to continue from (with its finished ranges re-hashed from the partial
    /// file), or a fresh one.
    func startOrResume(
        bucket: String, key: String, destination: String, head: OSSObjectMetadata,
        _ checkpointFile: CheckpointFile<DownloadCheckpoint>?
    ) async throws -> DownloadCheckpoint {
        if let checkpointFile, let saved = checkpointFile.load() {
            if let reason = staleness(of: saved, head: head) {
                guard options.staleCheckpointPolicy == .restart else {
                    throw OSSClientError.staleCheckpoint("\(reason) (checkpoint \(checkpointFile.path))")
                }
                client.logger.debug("discarding download checkpoint: \(reason)")
                TemporaryPath(path: saved.temporaryPath).remove()
                checkpointFile.remove()
            } else {
                return try await rehashed(saved)
            }
        }
        let plan = PartPlan(size: head.contentLength, exactPartSize: max(1, options.partSize))
        return DownloadCheckpoint(
            bucket: bucket, key: key, destination: destination,
            temporaryPath: TemporaryPath(for: destination).path, size: head.contentLength, etag: head.etag,
            crc64: head.crc64, lastModified: head.lastModified, partSize: plan.partSize, done: [:])
    }

    /// Why a checkpoint cannot be resumed, or `nil` when it can.
    func staleness(of saved: DownloadCheckpoint, head: OSSObjectMetadata) -> String? {
        if saved.size != head.contentLength || !OSSETag.matches(saved.etag, head.etag) || saved.crc64 != head.crc64
            || saved.lastModified != head.lastModified
        {
            return "\(saved.bucket)/\(saved.key) changed since the checkpoint (size, ETag, CRC or date)"
        }
        guard let identity = try? FileIdentity(path: saved.temporaryPath), identity.size == saved.size else {
            return "the partial file \(saved.temporaryPath) is missing or has the wrong size"
        }
        return nil
    }

    /// Keeps only the finished ranges whose bytes in the partial file still have the recorded
    /// CRC: a range written but not flushed before a crash is simply fetched again.
    func rehashed(_ saved: DownloadCheckpoint) async throws -> DownloadCheckpoint {
        let plan = PartPlan(size: saved.size, exactPartSize: saved.partSize)
        var checked = saved
        checked.done = [:]
        for part in plan.parts {
            guard let recorded = saved.done[part.number] else { continue }
            let crc = try await OSSClient.crc64(ofFile: saved.temporaryPath, offset: part.offset, length: part.size)
            if crc == recorded { checked.done[part.number] = crc }
        }
        return checked
    }
}
