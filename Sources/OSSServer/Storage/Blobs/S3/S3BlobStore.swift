import AsyncHTTPClient
import CRC64
import NIOConcurrencyHelpers
import NIOCore

/// Blobs as objects in one bucket of an S3-compatible store, under `blobs/<32 hex digits>`.
///
/// A blob is sent as it is received, in parts of ``partSize``, one gathered while the one before
/// it is on its way (two in memory at most): a blob that fits in one part is one PUT, a larger one a multipart upload whose parts and whole
/// carry their CRC-64/NVME (computed beside the CRC-64/XZ the engine keeps), so the backend
/// refuses bytes altered on the way. The last write completes the upload: the blob is then
/// durable as the backend makes its objects durable. ``BlobWriter/publish()`` has nothing left
/// to do; a blob written but never referenced is an orphan that recovery removes, as with files.
/// Reads stream one GET per run of consecutive reads.
struct S3BlobStore: BlobStore {
    let client: S3BlobClient
    /// The bytes gathered before a part is sent; also the largest blob sent in one PUT.
    var partSize: Int = 8 << 20

    static let prefix = "blobs/"
    static func key(_ blob: BlobID) -> String { prefix + blob.rawValue }

    /// A HEAD of a key no blob has: the backend answers, and knows the bucket and the key pair.
    func probe() async throws(StorageError) {
        _ = try await client.size(of: Self.prefix + "probe")
    }

    func create() async throws(StorageError) -> any BlobWriter {
        Writer(client: client, blob: BlobID.random(), partSize: partSize)
    }

    func open(_ blob: BlobID) async throws(StorageError) -> any BlobReader {
        Reader(client: client, key: Self.key(blob))
    }

    func size(of blob: BlobID) async throws(StorageError) -> Int? {
        try await client.size(of: Self.key(blob))
    }

    func remove(_ blobs: [BlobID]) async throws(StorageError) {
        for blob in blobs { try await client.delete(Self.key(blob)) }
    }

    /// Aborts the multipart uploads of these blobs, if any are in progress, and deletes them.
    func removeLeftovers(of blobs: [BlobID]) async throws(StorageError) {
        for blob in blobs {
            for upload in try await client.multipartUploads(prefix: Self.key(blob)) {
                try await client.abortMultipartUpload(upload.key, uploadID: upload.uploadID)
            }
            try await client.delete(Self.key(blob))
        }
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
            /// The part on its way to the backend while the next one is gathered: at most one,
            /// so a writer holds at most two parts in memory.
            var inFlight: Task<S3Part, any Error>?
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

        /// Sends the gathered bytes as the next part, starting the multipart upload first. The
        /// part goes out in the background once the one before it has arrived; with `waiting`,
        /// this returns only when every part sent so far has.
        private func sendPart(waiting: Bool = false) async throws(StorageError) {
            var uploadID = state.withLockedValue { $0.uploadID }
            if uploadID == nil {
                let id = try await client.createMultipartUpload(key)
                state.withLockedValue { $0.uploadID = id }
                uploadID = id
            }
            try await collectInFlight()
            let (bytes, crc, number) = state.withLockedValue { state in
                defer {
                    state.pending = ByteBuffer()
                    state.pendingCRC = CRC64Hasher(.nvme)
                }
                return (state.pending, state.pendingCRC.checksum, state.parts.count + 1)
            }
            let (client, key, id) = (self.client, self.key, uploadID!)
            let upload = Task<S3Part, any Error> {
                try await client.uploadPart(
                    key, uploadID: id, number: number, body: .bytes(bytes), length: bytes.readableBytes, crc64nvme: crc)
            }
            state.withLockedValue { $0.inFlight = upload }
            if waiting { try await collectInFlight() }
        }

        /// Waits for the part in flight, if any, and records it.
        private func collectInFlight() async throws(StorageError) {
            guard let upload = state.withLockedValue({ $0.inFlight }) else { return }
            let part: S3Part
            do {
                part = try await upload.value
            } catch let error as StorageError {
                state.withLockedValue { $0.inFlight = nil }
                throw error
            } catch {
                state.withLockedValue { $0.inFlight = nil }
                throw StorageError.backend(operation: "UploadPart", detail: "\(error)", unavailable: true)
            }
            state.withLockedValue {
                $0.inFlight = nil
                $0.parts.append(part)
            }
        }

        /// One PUT for a blob that fits in a part; otherwise the last part and the completion.
        private func finish() async throws(StorageError) {
            let (pending, crc, uploadID) = state.withLockedValue { ($0.pending, $0.pendingCRC.checksum, $0.uploadID) }
            guard uploadID != nil else {
                try await client.put(key, body: .bytes(pending), length: pending.readableBytes, crc64nvme: crc)
                state.withLockedValue { $0.finished = true }
                return
            }
            if pending.readableBytes > 0 { try await sendPart(waiting: true) } else { try await collectInFlight() }
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
            let (uploadID, finished, inFlight) = state.withLockedValue { ($0.uploadID, $0.finished, $0.inFlight) }
            // A part still arriving would outlive the abort and leave the upload behind.
            _ = try? await inFlight?.value
            if finished {
                try? await client.delete(key)
            } else if let uploadID {
                try? await client.abortMultipartUpload(key, uploadID: uploadID)
            }
        }
    }

    /// One backend object, read through a single streaming GET while reads follow each other
    /// (as a body's do), and a new one from wherever a read jumps to: a request per chunk would
    /// make a large GET wait for a round trip every MiB.
    final class Reader: BlobReader, @unchecked Sendable {
        // @unchecked: an ObjectBody reads its blob from one task, one read after the other; the
        // lock only guards against misuse, it is never contended.
        let client: S3BlobClient
        let key: String
        private let lock = NIOLock()
        private var stream: HTTPClientResponse.Body.AsyncIterator?
        /// The blob offset of the next byte `stream` yields, after `leftover`.
        private var position = 0
        /// Bytes received beyond the last read, at `position`.
        private var leftover = ByteBuffer()

        init(client: S3BlobClient, key: String) {
            self.client = client
            self.key = key
        }

        func read(count: Int, at offset: Int) async throws(StorageError) -> ByteBuffer {
            var (stream, position, leftover) = lock.withLock { (self.stream, self.position, self.leftover) }
            if stream == nil || position != offset {
                stream = try await client.get(key, from: offset).makeAsyncIterator()
                position = offset
                leftover = ByteBuffer()
            }
            var result = ByteBuffer()
            result.reserveCapacity(count)
            do {
                while result.readableBytes < count {
                    if leftover.readableBytes == 0 {
                        guard let next = try await stream!.next() else { break }
                        leftover = next
                    }
                    let take = Swift.min(count - result.readableBytes, leftover.readableBytes)
                    result.writeImmutableBuffer(leftover.readSlice(length: take)!)
                }
            } catch {
                lock.withLock { self.stream = nil }
                throw StorageError.backend(operation: "GetObject", detail: "\(error)", unavailable: true)
            }
            lock.withLock {
                self.stream = stream
                self.position = position + result.readableBytes
                self.leftover = leftover
            }
            return result
        }
    }
}
