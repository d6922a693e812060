import CRC64
import NIOConcurrencyHelpers
import NIOCore

/// Blobs as objects in one bucket of an S3-compatible store, under `blobs/<32 hex digits>`.
///
/// A blob is sent as it is received, in parts of ``partSize`` held in memory one at a time: a
/// blob that fits in one part is one PUT, a larger one a multipart upload whose parts and whole
/// carry their CRC-64/NVME (computed beside the CRC-64/XZ the engine keeps), so the backend
/// refuses bytes altered on the way. The last write completes the upload: the blob is then
/// durable as the backend makes its objects durable. ``BlobWriter/publish()`` has nothing left
/// to do; a blob written but never referenced is an orphan that recovery removes, as with files.
/// Reads are ranged GETs.
struct S3BlobStore: BlobStore {
    let client: S3BlobClient
    /// The bytes gathered before a part is sent; also the largest blob sent in one PUT.
    var partSize: Int = 8 << 20

    static let prefix = "blobs/"
    static func key(_ blob: BlobID) -> String { prefix + blob.rawValue }

    func create() async throws(StorageError) -> any BlobWriter {
        Writer(client: client, blob: BlobID.random(), partSize: partSize)
    }

    func open(_ blob: BlobID) async throws(StorageError) -> any BlobReader {
        Reader(client: client, key: Self.key(blob))
    }

    func remove(_ blobs: [BlobID]) async throws(StorageError) {
        for blob in blobs { try await client.delete(Self.key(blob)) }
    }

    /// Aborts the multipart uploads that were in progress: the blobs being received.
    func removeUnfinished() async throws(StorageError) -> Int {
        var removed = 0
        while true {
            let uploads = try await client.multipartUploads(prefix: Self.prefix)
            for upload in uploads { try await client.abortMultipartUpload(upload.key, uploadID: upload.uploadID) }
            removed += uploads.count
            if uploads.count < 1000 { return removed }
        }
    }

    func publishedBlobs() async throws(StorageError) -> [BlobID] {
        var found: [BlobID] = []
        var after: String?
        while true {
            let page = try await client.list(prefix: Self.prefix, startAfter: after)
            found += page.keys.compactMap { BlobID(rawValue: String($0.dropFirst(Self.prefix.count))) }
            guard page.isTruncated, let last = page.keys.last else { return found }
            after = last
        }
    }

    /// Gathers a part in memory, then sends it; the last write sends what is left and completes.
    final class Writer: BlobWriter, Sendable {
        let client: S3BlobClient
        let blob: BlobID
        let partSize: Int
        private struct State {
            var pending = ByteBuffer()
            var pendingCRC = CRC64Hasher(.nvme)
            var uploadID: String?
            var parts: [S3Part] = []
            var finished = false
        }
        // Writes come one at a time, from one stager; the lock only makes that visible to Swift.
        private let state = NIOLockedValueBox(State())

        init(client: S3BlobClient, blob: BlobID, partSize: Int) {
            self.client = client
            self.blob = blob
            self.partSize = partSize
        }

        var key: String { S3BlobStore.key(blob) }

        func write(_ buffer: ByteBuffer, at offset: Int, durable: Bool) async throws(StorageError) {
            var buffer = buffer
            while buffer.readableBytes > 0 {
                let room = partSize - state.withLockedValue { $0.pending.readableBytes }
                let piece = buffer.readSlice(length: Swift.min(room, buffer.readableBytes))!
                let full = state.withLockedValue { state in
                    state.pending.writeImmutableBuffer(piece)
                    piece.withUnsafeReadableBytes { state.pendingCRC.update($0) }
                    return state.pending.readableBytes == partSize
                }
                if full, buffer.readableBytes > 0 || !durable { try await sendPart() }
            }
            if durable { try await finish() }
        }

        /// Sends the gathered bytes as the next part, starting the multipart upload first.
        private func sendPart() async throws(StorageError) {
            var uploadID = state.withLockedValue { $0.uploadID }
            if uploadID == nil {
                let id = try await client.createMultipartUpload(key)
                state.withLockedValue { $0.uploadID = id }
                uploadID = id
            }
            let (bytes, crc, number) = state.withLockedValue { state in
                defer {
                    state.pending = ByteBuffer()
                    state.pendingCRC = CRC64Hasher(.nvme)
                }
                return (state.pending, state.pendingCRC.checksum, state.parts.count + 1)
            }
            let part = try await client.uploadPart(
                key, uploadID: uploadID!, number: number, body: .bytes(bytes), length: bytes.readableBytes, crc64nvme: crc)
            state.withLockedValue { $0.parts.append(part) }
        }

        /// One PUT for a blob that fits in a part; otherwise the last part and the completion.
        private func finish() async throws(StorageError) {
            let (pending, crc, uploadID) = state.withLockedValue { ($0.pending, $0.pendingCRC.checksum, $0.uploadID) }
            guard uploadID != nil else {
                try await client.put(key, body: .bytes(pending), length: pending.readableBytes, crc64nvme: crc)
                state.withLockedValue { $0.finished = true }
                return
            }
            if pending.readableBytes > 0 { try await sendPart() }
            let parts = state.withLockedValue { $0.parts }
            try await client.completeMultipartUpload(key, uploadID: uploadID!, parts: parts)
            state.withLockedValue { $0.finished = true }
        }

        /// The blob is complete in the backend once the last write returned.
        func publish() async throws(StorageError) {
            guard state.withLockedValue({ $0.finished }) else {
                throw StorageError.backend(operation: "publish", detail: "blob \(blob) was not completely written", unavailable: false)
            }
        }

        func discard() async {
            let (uploadID, finished) = state.withLockedValue { ($0.uploadID, $0.finished) }
            if finished {
                try? await client.delete(key)
            } else if let uploadID {
                try? await client.abortMultipartUpload(key, uploadID: uploadID)
            }
        }
    }

    /// Ranged GETs of one backend object.
    struct Reader: BlobReader {
        let client: S3BlobClient
        let key: String

        func read(count: Int, at offset: Int) async throws(StorageError) -> ByteBuffer {
            let body = try await client.get(key, range: offset..<(offset + count))
            var buffer = ByteBuffer()
            buffer.reserveCapacity(count)
            do {
                for try await chunk in body {
                    guard buffer.readableBytes + chunk.readableBytes <= count else {
                        throw StorageError.backend(
                            operation: "GetObject", detail: "more bytes than the \(count) asked for", unavailable: false)
                    }
                    buffer.writeImmutableBuffer(chunk)
                }
            } catch let error as StorageError {
                throw error
            } catch {
                throw StorageError.backend(operation: "GetObject", detail: "\(error)", unavailable: true)
            }
            return buffer
        }
    }
}
