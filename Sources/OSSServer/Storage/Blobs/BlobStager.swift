import CRC64
import Crypto
import NIOCore
import OSSProtocol

/// A body received into an unpublished blob: hashed, checked and durable, but not visible yet.
struct StagedBlob: Sendable {
    let blob: BlobID
    let size: Int
    let crc64: UInt64
    /// CRC-64/NVME of the body, computed in the same pass (S3's default full-object checksum).
    let crc64nvme: UInt64
    /// The CRC-64 of each block, `nil` for a body of at most one block.
    let blocks: BlockChecksums?
    /// The binary MD5 of the body.
    let md5: [UInt8]
    /// The digest of the algorithm the caller asked ``BlobStager/stage(_:expecting:computing:)`` for.
    var computed: [UInt8]? = nil
    /// The bytes, for a body kept in the metadata (no blob was written).
    var inline: ByteBuffer? = nil
    /// The blob written, to publish or discard; `nil` for an inline body.
    var writer: (any BlobWriter)? = nil

    var etag: String { OSSETag.quoted(md5: md5) }
    var segment: BlobSegment { BlobSegment(blob: blob, size: size, crc64: crc64, blocks: blocks, inline: inline) }
}

/// Streams a body into a new blob, computing CRC-64 (per block and whole, and CRC-64/NVME) and
/// MD5 on the way.
///
/// Small network chunks are gathered into `chunkSize` writes, each one call to the
/// ``BlobWriter``; its CRC-64 is computed first, where the bytes are hot in cache. MD5 (which the ETag must be) costs ~30 times as much CPU as CRC-64 and
/// cannot be split, so it runs in a lane of its own (``MD5Lane``), on another core, while the
/// next chunks arrive and are written. On any failure, including the body's own error, the
/// blob is discarded before the error propagates.
struct BlobStager: Sendable {
    let blobs: any BlobStore
    let chunkSize: Int
    let blockSize: Int
    var maxSize: Int

    /// Checked state carried from chunk to chunk; all value types, so it crosses threads freely.
    private struct Progress: Sendable {
        var crc: BlockChecksums.Accumulator
        var extra: S3ChecksumHasher?
        var written = 0
    }

    /// Receives `body` and checks `expectations`; throws `StorageError`, or whatever `body` threw.
    ///
    /// - Parameter algorithm: a checksum to compute as well (an S3 upload's, for its parts).
    func stage<Body: AsyncSequence>(
        _ body: Body, expecting expectations: WriteExpectations, computing algorithm: S3ChecksumAlgorithm? = nil
    ) async throws -> StagedBlob where Body.Element == ByteBuffer {
        if let declared = expectations.contentLength, declared > maxSize {
            throw StorageError.entityTooLarge(size: declared, limit: maxSize)
        }
        let file = try await blobs.create()
        var md5 = MD5Lane()
        do {
            var progress = Progress(crc: BlockChecksums.Accumulator(blockSize: blockSize), extra: algorithm.map(S3ChecksumHasher.init))
            var pending = ByteBuffer()
            var received = 0
            for try await chunk in body {
                received += chunk.readableBytes
                if received > maxSize { throw StorageError.entityTooLarge(size: received, limit: maxSize) }
                if let declared = expectations.contentLength, received > declared {
                    throw StorageError.incompleteBody(expected: declared, received: received)
                }
                if pending.readableBytes == 0, chunk.readableBytes >= chunkSize {
                    await md5.update(chunk)
                    progress = try await Self.append(chunk, to: file, progress, sync: false)
                    continue
                }
                if pending.capacity == 0 { pending.reserveCapacity(chunkSize) }
                pending.writeImmutableBuffer(chunk)
                if pending.readableBytes >= chunkSize {
                    await md5.update(pending)
                    progress = try await Self.append(pending, to: file, progress, sync: false)
                    // The lane still reads the old storage: start a fresh buffer, never reuse it.
                    pending = ByteBuffer()
                }
            }
            if let declared = expectations.contentLength, received != declared {
                throw StorageError.incompleteBody(expected: declared, received: received)
            }
            await md5.update(pending)
            progress = try await Self.append(pending, to: file, progress, sync: true)
            let md5 = await md5.finalize()
            let (crc, blocks) = progress.crc.finish()
            if let expected = expectations.contentMD5, expected != md5 {
                throw StorageError.invalidDigest(expected: expected, actual: md5)
            }
            if let expected = expectations.crc64, expected != crc {
                throw StorageError.crcMismatch(expected: expected, actual: crc)
            }
            return StagedBlob(
                blob: file.blob, size: progress.written, crc64: crc, crc64nvme: progress.crc.nvme, blocks: blocks, md5: md5,
                computed: progress.extra?.finalize(), writer: file)
        } catch {
            await file.discard()
            throw error
        }
    }

    /// Receives a body of at most `limit` declared bytes into memory, for the metadata to keep:
    /// the same checks as ``stage(_:expecting:)``, no file. Throws like it.
    func stageInline<Body: AsyncSequence>(_ body: Body, expecting expectations: WriteExpectations) async throws
        -> StagedBlob where Body.Element == ByteBuffer
    {
        let declared = expectations.contentLength ?? 0
        if declared > maxSize { throw StorageError.entityTooLarge(size: declared, limit: maxSize) }
        var bytes = ByteBuffer()
        bytes.reserveCapacity(declared)
        for try await chunk in body {
            guard bytes.readableBytes + chunk.readableBytes <= declared else {
                throw StorageError.incompleteBody(expected: declared, received: bytes.readableBytes + chunk.readableBytes)
            }
            bytes.writeImmutableBuffer(chunk)
        }
        guard bytes.readableBytes == declared else {
            throw StorageError.incompleteBody(expected: declared, received: bytes.readableBytes)
        }
        var accumulator = BlockChecksums.Accumulator(blockSize: blockSize)
        var md5 = Insecure.MD5()
        bytes.withUnsafeReadableBytes { buffer in
            accumulator.update(buffer)
            md5.update(bufferPointer: buffer)
        }
        let (crc, blocks) = accumulator.finish()
        let digest = Array(md5.finalize())
        if let expected = expectations.contentMD5, expected != digest {
            throw StorageError.invalidDigest(expected: expected, actual: digest)
        }
        if let expected = expectations.crc64, expected != crc {
            throw StorageError.crcMismatch(expected: expected, actual: crc)
        }
        return StagedBlob(
            blob: BlobID.random(), size: declared, crc64: crc, crc64nvme: accumulator.nvme, blocks: blocks, md5: digest, inline: bytes)
    }

    private static func append(_ buffer: ByteBuffer, to file: any BlobWriter, _ progress: Progress, sync: Bool)
        async throws(StorageError) -> Progress
    {
        var progress = progress
        buffer.withUnsafeReadableBytes { bytes in
            progress.crc.update(bytes)
            progress.extra?.update(bytes)
        }
        try await file.write(buffer, at: progress.written, durable: sync)
        progress.written += buffer.readableBytes
        return progress
    }
}

/// MD5 over a sequence of buffers, computed off the caller's path: each buffer is hashed in a task
/// that first waits for the previous one, so the order is kept while the caller moves on.
///
/// At most ``depth`` buffers wait in the lane; the caller is held back beyond that, so memory stays
/// bounded by `depth` × chunk size however much faster the network is than MD5.
struct MD5Lane {
    static let depth = 4

    private var queued: [Task<Insecure.MD5, Never>] = []

    /// Queues `buffer`; waits only while the lane is full.
    mutating func update(_ buffer: ByteBuffer) async {
        guard buffer.readableBytes > 0 else { return }
        if queued.count >= Self.depth {
            _ = await queued.removeFirst().value
        }
        let previous = queued.last
        queued.append(
            Task.detached {
                var md5 = await previous?.value ?? Insecure.MD5()
                buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) }
                return md5
            })
    }

    /// The digest of every buffer queued so far.
    mutating func finalize() async -> [UInt8] {
        let md5 = await queued.last?.value ?? Insecure.MD5()
        queued = []
        return Array(md5.finalize())
    }
}
