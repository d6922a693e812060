import CRC64
import Crypto
import NIOCore
import OSSProtocol

/// A body received into a temporary file: hashed, checked and fsynced, but not visible yet.
struct StagedBlob: Sendable {
    let blob: BlobID
    let size: Int
    let crc64: UInt64
    /// The binary MD5 of the body.
    let md5: [UInt8]

    var etag: String { OSSETag.quoted(md5: md5) }
    var segment: BlobSegment { BlobSegment(blob: blob, size: size, crc64: crc64) }
}

/// Streams a body to a temporary file, computing CRC-64 and MD5 in the same pass.
///
/// Small network chunks are gathered into `chunkSize` writes, and each write (with its hashing)
/// runs in one ``BlockingIO`` hop. On any failure, including the body's own error, the temporary
/// file is deleted before the error propagates.
struct BlobStager: Sendable {
    let blobs: BlobStore
    let chunkSize: Int
    let maxSize: Int

    /// Checked state carried from chunk to chunk; all value types, so it crosses threads freely.
    private struct Progress: Sendable {
        var crc = CRC64Hasher(.xz)
        var md5 = Insecure.MD5()
        var written = 0
    }

    /// Receives `body` and checks `expectations`; throws `StorageError`, or whatever `body` threw.
    func stage<Body: AsyncSequence>(_ body: Body, expecting expectations: WriteExpectations) async throws
        -> StagedBlob where Body.Element == ByteBuffer
    {
        if let declared = expectations.contentLength, declared > maxSize {
            throw StorageError.entityTooLarge(size: declared, limit: maxSize)
        }
        let blobs = self.blobs
        let (blob, file) = try await BlockingIO.run { () throws(StorageError) in try blobs.createTemporary() }
        do {
            var progress = Progress()
            var pending = ByteBuffer()
            var received = 0
            for try await chunk in body {
                received += chunk.readableBytes
                if received > maxSize { throw StorageError.entityTooLarge(size: received, limit: maxSize) }
                if let declared = expectations.contentLength, received > declared {
                    throw StorageError.incompleteBody(expected: declared, received: received)
                }
                if pending.readableBytes == 0, chunk.readableBytes >= chunkSize {
                    progress = try await Self.append(chunk, to: file, progress, sync: false)
                    continue
                }
                if pending.capacity == 0 { pending.reserveCapacity(chunkSize) }
                pending.writeImmutableBuffer(chunk)
                if pending.readableBytes >= chunkSize {
                    progress = try await Self.append(pending, to: file, progress, sync: false)
                    pending.clear()
                }
            }
            if let declared = expectations.contentLength, received != declared {
                throw StorageError.incompleteBody(expected: declared, received: received)
            }
            progress = try await Self.append(pending, to: file, progress, sync: true)
            let md5 = Array(progress.md5.finalize())
            let crc = progress.crc.checksum
            if let expected = expectations.contentMD5, expected != md5 {
                throw StorageError.invalidDigest(expected: expected, actual: md5)
            }
            if let expected = expectations.crc64, expected != crc {
                throw StorageError.crcMismatch(expected: expected, actual: crc)
            }
            return StagedBlob(blob: blob, size: progress.written, crc64: crc, md5: md5)
        } catch {
            try? await BlockingIO.run { () throws(StorageError) in try blobs.removeTemporary(blob) }
            throw error
        }
    }

    private static func append(_ buffer: ByteBuffer, to file: BlobFile, _ progress: Progress, sync: Bool)
        async throws(StorageError) -> Progress
    {
        try await BlockingIO.run { () throws(StorageError) in
            var progress = progress
            if buffer.readableBytes > 0 {
                buffer.withUnsafeReadableBytes { bytes in
                    progress.crc.update(bytes)
                    progress.md5.update(bufferPointer: bytes)
                }
                try file.writeAll(buffer)
                progress.written += buffer.readableBytes
            }
            if sync { try file.synchronize() }
            return progress
        }
    }
}
