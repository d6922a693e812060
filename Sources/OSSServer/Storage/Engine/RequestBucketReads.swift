import NIOConcurrencyHelpers

/// What one request has read about the buckets it touches, on a server that shares its metadata
/// store with other nodes and so keeps no ``BucketCache``.
///
/// Nearly every request needs its bucket's record (owner, ACL, Block Public Access) and some of
/// its documents (referer rules for anonymous and presigned requests, the logging rule for every
/// request, the policy for everyone but the owner), from the authentication middleware to the
/// access log. Read one by one, they were three or four of a small PUT's ten statements; read
/// here, they are one statement, the first time the request needs any of them
/// (``MetadataStore/bucketAndDocuments(named:)``). The request then sees its bucket as of that
/// moment, as it would if it had run at once; a change the request itself makes is forgotten
/// (``forget(_:)``), so that it reads its own write.
final class RequestBucketReads: Sendable {
    /// The reads of the request this task serves, if it serves one on a shared store.
    @TaskLocal static var current: RequestBucketReads?

    /// A bucket as read: its record and documents, or `nil` when it does not exist.
    private let reads = NIOLockedValueBox<[String: BucketAndDocuments?]>([:])

    /// The bucket's record and documents, read once per request. Throws `noSuchBucket`.
    func bucket(_ name: String, from metadata: any MetadataStore) async throws(StorageError) -> BucketAndDocuments {
        if let read = reads.withLockedValue({ $0[name] }) {
            guard let read else { throw .noSuchBucket(bucket: name) }
            return read
        }
        do {
            let read = try await metadata.bucketAndDocuments(named: name)
            reads.withLockedValue { $0[name] = .some(read) }
            return read
        } catch .noSuchBucket {
            reads.withLockedValue { $0[name] = .some(nil) }
            throw .noSuchBucket(bucket: name)
        }
    }

    /// After a change to the bucket (or an attempt at one): the next read goes to the database.
    func forget(_ name: String) {
        reads.withLockedValue { _ = $0.removeValue(forKey: name) }
    }
}

/// A bucket's record with its configuration documents, as one read returns them.
struct BucketAndDocuments: Sendable, Hashable {
    var record: BucketRecord
    var documents: [BucketDocument: String]
}
