import NIOCore
import OSSProtocol

extension OSSUploader {
    /// Uploads a stream of unknown length: the first `multipartThreshold` bytes decide between
    /// one PutObject and a multipart upload; parts are cut at ``OSSUploaderOptions/partSize`` and
    /// sent `concurrency` at a time, so memory stays bounded however long the stream is.
    ///
    /// Streams cannot be re-read, so they are not resumable; on failure the unfinished upload
    /// is aborted.
    public func upload<S: AsyncSequence & Sendable>(stream: S, bucket: String, key: String) async throws
        -> OSSUploadResult
    where S.Element == ByteBuffer {
        let progress = ProgressTracker(total: nil, handler: options.progress)
        let partSize = Int(PartPlan(size: 0, preferredPartSize: options.partSize).partSize)
        var reader = ChunkReader(iterator: stream.makeAsyncIterator())
        let first = try await reader.read(count: max(partSize, Int(options.multipartThreshold)))
        if reader.finished, first.readableBytes < options.multipartThreshold {
            return try await singlePut(.buffer(first), bucket: bucket, key: key, progress: progress)
        }
        let upload = try await client.initiateMultipartUpload(bucket: bucket, key: key, options: options.objectOptions)
        let recorder = CheckpointRecorder<[OSSUploadedPart]>([], file: nil)
        do {
            try await withThrowingTaskGroup(of: Void.self) { [client, options] group in
                var pending = first
                var number = 0
                var running = 0
                while true {
                    while pending.readableBytes < partSize, !reader.finished {
                        var more = try await reader.read(count: partSize - pending.readableBytes)
                        pending.writeBuffer(&more)
                    }
                    guard pending.readableBytes > 0 || number == 0 else { break }
                    let part = pending.readSlice(length: min(partSize, pending.readableBytes))!
                    number += 1
                    if running == options.concurrency {
                        try await group.next()
                        running -= 1
                    }
                    let partNumber = number
                    group.addTask {
                        let result = try await progress.reportingSent(size: { $0.part.size }) { report in
                            try await client.uploadPart(
                                OSSUploadPartRequest(
                                    bucket: bucket, key: key, uploadID: upload.uploadID, partNumber: partNumber,
                                    body: .buffer(part)),
                                reportingSent: report)
                        }
                        try await recorder.update { $0.append(result.part) }
                    }
                    running += 1
                    if pending.readableBytes == 0, reader.finished { break }
                }
                try await group.waitForAll()
            }
            let parts = await recorder.value
            let complete = try await client.completeMultipartUpload(
                OSSCompleteMultipartUploadRequest(
                    bucket: bucket, key: key, uploadID: upload.uploadID, parts: parts, acl: options.objectOptions.acl,
                    forbidOverwrite: options.objectOptions.forbidOverwrite))
            return OSSUploadResult(
                etag: complete.result.etag, crc64: complete.crc64, crcVerification: complete.crcVerification,
                size: parts.reduce(0) { $0 + $1.size }, partCount: parts.count, resumedParts: 0)
        } catch {
            await abandon(bucket: bucket, key: key, uploadID: upload.uploadID)
            throw error
        }
    }
}

/// Re-chunks a stream of buffers of any size into buffers of a requested size.
struct ChunkReader<Iterator: AsyncIteratorProtocol> where Iterator.Element == ByteBuffer {
    var iterator: Iterator
    var carry = ByteBuffer()
    private(set) var finished = false

    init(iterator: Iterator) {
        self.iterator = iterator
    }

    /// Up to `count` bytes; fewer only at the end of the stream.
    mutating func read(count: Int) async throws -> ByteBuffer {
        var result = ByteBufferAllocator().buffer(capacity: count)
        while result.readableBytes < count {
            if carry.readableBytes == 0 {
                guard let next = try await iterator.next() else {
                    finished = true
                    break
                }
                carry = next
            }
            var slice = carry.readSlice(length: min(count - result.readableBytes, carry.readableBytes))!
            result.writeBuffer(&slice)
        }
        if carry.readableBytes == 0, !finished {
            // Peek so that `finished` is exact when the stream ends on a chunk boundary.
            if let next = try await iterator.next() { carry = next } else { finished = true }
        }
        return result
    }
}
