import OSSProtocol

/// Where buckets, object records, uploads and parts live: everything except object bytes.
///
/// ``ObjectStorage`` is the only caller; handlers never see this protocol, so a second backend
/// (another database, an in-memory store for tests) slots in without touching them. Business
/// rules (ETags, part validation, CRC combination) stay in the engine; a store provides atomic
/// transactions and ordered queries.
///
/// Every mutation is one transaction: it happens entirely or not at all, and it is durable when
/// the call returns. Mutations that stop referring to blobs return the blobs that *no row refers
/// to any more* once the transaction committed; the engine deletes those files afterwards, so a
/// crash in between leaves only orphans that start-up recovery removes. A blob may back segments
/// of several objects (CopyObject shares them) and is returned only once the last is gone.
///
/// Mutations that take a rule closure run it inside the transaction on the rows as they are
/// then; the ``StorageError`` it throws propagates unchanged, and nothing changes.
protocol MetadataStore: Sendable {
    // MARK: Buckets

    /// Throws `bucketAlreadyExists`.
    func createBucket(_ bucket: BucketRecord) async throws(StorageError)
    /// Throws `noSuchBucket`.
    func bucket(named name: String) async throws(StorageError) -> BucketRecord
    /// Throws `noSuchBucket`, or `bucketNotEmpty` while objects or uploads remain.
    func deleteBucket(named name: String) async throws(StorageError)
    func listBuckets(_ query: BucketListQuery) async throws(StorageError) -> BucketListing
    /// Changes a bucket's settings (ACL, CORS, Block Public Access, …) in one transaction and
    /// returns the bucket as stored. `update` must keep the name and creation date. Throws
    /// `noSuchBucket`.
    func updateBucket(named name: String, update: @escaping @Sendable (BucketRecord) -> BucketRecord)
        async throws(StorageError) -> BucketRecord

    // MARK: Objects

    /// Throws `noSuchBucket` or `noSuchKey`.
    func object(bucket: String, key: String) async throws(StorageError) -> ObjectRecord
    /// Inserts or replaces the object at `object.bucket`/`object.key`. Throws `noSuchBucket`, or
    /// `fileAlreadyExists` if the key exists and `forbidOverwrite` is set.
    func putObject(_ object: ObjectRecord, forbidOverwrite: Bool) async throws(StorageError) -> [BlobID]
    /// The object at `key` and, when it is a symlink, the object its target names (`nil` when
    /// missing), read in one snapshot. Throws `noSuchBucket` or `noSuchKey`.
    func objectAndSymlinkTarget(bucket: String, key: String) async throws(StorageError)
        -> (object: ObjectRecord, target: ObjectRecord?)
    /// In one transaction: reads the object at `key` (`nil` when missing), asks `append` for what
    /// it becomes, and stores that. The result must keep the existing segments and may add more,
    /// so that only the new segments are written. Throws `noSuchBucket`, or what `append` threw.
    func appendObject(
        bucket: String, key: String, append: @escaping @Sendable (ObjectRecord?) throws -> ObjectRecord
    ) async throws -> ObjectRecord
    /// In one transaction: reads the source object, asks `derive` for the destination (which may
    /// share the source's blobs), and stores it in place of any object at the destination key;
    /// source and destination may be the same. Throws `noSuchBucket`, `noSuchKey` (the source),
    /// `fileAlreadyExists` if the destination exists and `forbidOverwrite` is set, or what
    /// `derive` threw.
    func copyObject(
        sourceBucket: String, sourceKey: String, destinationBucket: String, destinationKey: String,
        forbidOverwrite: Bool, derive: @escaping @Sendable (ObjectRecord) throws -> ObjectRecord
    ) async throws -> (object: ObjectRecord, released: [BlobID])
    /// Replaces the object's attributes with `update` of the current ones, leaving its bytes,
    /// ETag and Last-Modified alone (tags and ACL changes are not modifications in OSS). Returns
    /// the updated record. Throws `noSuchBucket` or `noSuchKey`.
    func updateAttributes(
        bucket: String, key: String, update: @escaping @Sendable (ObjectAttributes) -> ObjectAttributes
    ) async throws(StorageError) -> ObjectRecord
    /// Deletes the keys that exist (missing keys are not an error). Throws `noSuchBucket`.
    func deleteObjects(bucket: String, keys: [String]) async throws(StorageError) -> [BlobID]
    /// Throws `noSuchBucket`.
    func listObjects(bucket: String, query: ObjectListQuery) async throws(StorageError) -> ObjectListing

    // MARK: Multipart uploads

    /// Throws `noSuchBucket`, or `fileAlreadyExists` when `forbidOverwrite` is set and an object
    /// has the upload's key.
    func createUpload(_ upload: MultipartUpload, forbidOverwrite: Bool) async throws(StorageError)
    /// Throws `noSuchBucket` or `noSuchUpload` (also when the id belongs to another key).
    func upload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> MultipartUpload
    /// Adds the part, replacing one with the same number. Throws like ``upload(bucket:key:uploadID:)``.
    func putPart(_ part: PartRecord, bucket: String, key: String, uploadID: String) async throws(StorageError)
        -> [BlobID]
    /// Throws like ``upload(bucket:key:uploadID:)``.
    func listParts(bucket: String, key: String, uploadID: String, query: PartListQuery) async throws(StorageError)
        -> PartListing
    /// In one transaction: reads the upload and all its parts, asks `assemble` for the object,
    /// stores it in place of any existing one, and deletes the upload with all its parts.
    ///
    /// `assemble` may throw to reject the completion (invalid parts, forbidden sizes), in which
    /// case nothing changes. Throws `fileAlreadyExists` if the key exists and `forbidOverwrite`
    /// is set.
    func completeUpload(
        bucket: String, key: String, uploadID: String, forbidOverwrite: Bool,
        assemble: @escaping @Sendable (MultipartUpload, [PartRecord]) throws(StorageError) -> ObjectRecord
    ) async throws(StorageError) -> (object: ObjectRecord, released: [BlobID])
    /// Deletes the upload and its parts. Throws like ``upload(bucket:key:uploadID:)``.
    func abortUpload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> [BlobID]
    /// Throws `noSuchBucket`.
    func listUploads(bucket: String, query: UploadListQuery) async throws(StorageError) -> UploadListing

    // MARK: Recovery

    /// A setting of the whole store (such as the account's Block Public Access), `nil` when unset.
    func setting(_ name: String) async throws(StorageError) -> String?
    /// Sets (or with `nil` removes) a setting of the whole store.
    func setSetting(_ name: String, to value: String?) async throws(StorageError)

    /// GetBucketStat's numbers, from one consistent snapshot. Throws `noSuchBucket`.
    func bucketStatistics(named name: String) async throws(StorageError) -> BucketStatistics

    /// Every blob some object segment or part refers to, however many refer to it; recovery
    /// deletes the other blob files.
    func referencedBlobs() async throws(StorageError) -> Set<BlobID>
}
