import NIOCore

/// The blob store of a server whose metadata others share (``SharedMetadataStore``): every blob
/// it writes is recorded as pending first, and it deletes only what it knows to be its own
/// (writes that never committed) or, without a grace period, what its commits queued.
/// Everything else is the collector's (``ObjectStorage/collectGarbage()``).
struct SharedBlobStore: BlobStore {
    let base: any BlobStore
    let metadata: any SharedMetadataStore
    /// This server's node id in the metadata.
    let node: String
    let deletionGrace: Duration

    func create() async throws(StorageError) -> any BlobWriter {
        let writer = try await base.create()
        do {
            try await metadata.recordPendingBlob(writer.blob, node: node)
        } catch {
            await writer.discard()
            throw error
        }
        return Writer(base: writer, metadata: metadata)
    }

    func open(_ blob: BlobID) async throws(StorageError) -> any BlobReader {
        try await base.open(blob)
    }

    func size(of blob: BlobID) async throws(StorageError) -> Int? {
        try await base.size(of: blob)
    }

    func probe() async throws(StorageError) {
        try await base.probe()
    }

    func remove(_ blobs: [BlobID]) async throws(StorageError) {
        let deletable = try await metadata.takeBlobsForDeletion(blobs, includingQueued: deletionGrace == .zero)
        do {
            try await base.remove(deletable)
        } catch {
            try? await metadata.queueBlobsForDeletion(deletable)
            throw error
        }
    }

    /// Nothing at start: what this server does not know of may be another's write in flight.
    /// The collector removes the leftovers of servers that stopped.
    func removeUnfinished() async throws(StorageError) -> Int { 0 }

    func publishedBlobs() async throws(StorageError) -> [BlobID] {
        try await base.publishedBlobs()
    }

    func removeLeftovers(of blobs: [BlobID]) async throws(StorageError) {
        try await base.removeLeftovers(of: blobs)
    }

    /// A writer that drops its pending record when it gives up.
    private struct Writer: BlobWriter {
        let base: any BlobWriter
        let metadata: any SharedMetadataStore

        var blob: BlobID { base.blob }

        func write(_ buffer: ByteBuffer, at offset: Int, durable: Bool) async throws(StorageError) {
            try await base.write(buffer, at: offset, durable: durable)
        }

        func publish() async throws(StorageError) {
            try await base.publish()
        }

        func discard() async {
            await base.discard()
            // Left behind if this fails: the collector takes it once this server stops.
            _ = try? await metadata.takeBlobsForDeletion([base.blob], includingQueued: false)
        }
    }
}
