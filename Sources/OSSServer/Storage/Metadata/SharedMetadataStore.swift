import Foundation

/// A ``MetadataStore`` several servers (nodes) share, which must also account for blobs, since
/// no node may take what it does not know for an orphan: another node may be writing it.
///
/// - A node records a blob as *pending* before it writes it (``recordPendingBlob(_:node:)``).
///   The transaction that first refers to the blob (a segment or a part) claims the record; it
///   fails if the record is gone, because then the blob was collected as leaked and no longer
///   holds the bytes.
/// - A transaction that drops the last reference to a blob queues it for deletion in the same
///   commit.
/// - Nodes prove they are alive (``heartbeat(node:startedAt:)``); one node at a time
///   collects (``collectGarbage(queuedBefore:nodesSilentSince:limit:remove:)``): queued blobs past
///   a grace period, which lets reads on other nodes finish, and the pending blobs of nodes
///   silent past a lease, which crashed mid-write.
protocol SharedMetadataStore: MetadataStore {
    /// Records that `node` is about to write `blob`.
    func recordPendingBlob(_ blob: BlobID, node: String) async throws(StorageError)
    /// Of `blobs`, which the engine is done with, takes the records of those it may delete now
    /// and returns them: the pending ones (writes that never committed) and, with
    /// `includingQueued` (no grace period), the queued ones. The others are the collector's.
    /// A caller that then fails to delete them hands them back with ``queueBlobsForDeletion(_:)``.
    func takeBlobsForDeletion(_ blobs: [BlobID], includingQueued: Bool) async throws(StorageError) -> [BlobID]
    /// Queues blobs for deletion, due at once.
    func queueBlobsForDeletion(_ blobs: [BlobID]) async throws(StorageError)
    /// Notes that `node`, which started at `startedAt`, is alive now.
    func heartbeat(node: String, startedAt: Date) async throws(StorageError)
    /// Collects garbage if no other node does: the blobs queued before `queuedBefore` and the
    /// pending blobs of nodes not seen since `nodesSilentSince`, at most `limit` of each, handed
    /// to `remove` (which deletes them from the blob store, published or not). Returns how many
    /// blobs were collected, `nil` when another node was collecting.
    func collectGarbage(
        queuedBefore: Date, nodesSilentSince: Date, limit: Int,
        remove: @escaping @Sendable ([BlobID]) async throws(StorageError) -> Void
    ) async throws(StorageError) -> Int?
}
