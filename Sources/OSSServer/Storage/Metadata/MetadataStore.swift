import Foundation
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
    /// Whether other servers write to this store too: then nothing read from it may be kept in
    /// memory past the request that read it, and no server may take blobs it does not know for
    /// orphans.
    var isShared: Bool { get }

    // MARK: Buckets

    /// Throws `bucketAlreadyExists`.
    func createBucket(_ bucket: BucketRecord) async throws(StorageError)
    /// Throws `noSuchBucket`.
    func bucket(named name: String) async throws(StorageError) -> BucketRecord
    /// Throws `noSuchBucket`, or `bucketNotEmpty` while objects, versions, delete markers or
    /// uploads remain.
    func deleteBucket(named name: String) async throws(StorageError)
    func listBuckets(_ query: BucketListQuery) async throws(StorageError) -> BucketListing
    /// Changes a bucket's settings (ACL, CORS, Block Public Access, …) in one transaction and
    /// returns the bucket as stored. `update` must keep the name and creation date. Throws
    /// `noSuchBucket`.
    func updateBucket(named name: String, update: @escaping @Sendable (BucketRecord) -> BucketRecord)
        async throws(StorageError) -> BucketRecord

    /// A configuration document of the bucket (``BucketDocument``), `nil` when unset. Throws
    /// `noSuchBucket`.
    func bucketDocument(bucket: String, _ kind: BucketDocument) async throws(StorageError) -> String?
    /// Sets (or with `nil` removes) a configuration document of the bucket. Throws `noSuchBucket`.
    func setBucketDocument(bucket: String, _ kind: BucketDocument, to document: String?) async throws(StorageError)
    /// The bucket's record and every document it has, read together (``RequestBucketReads``).
    /// Throws `noSuchBucket`.
    func bucketAndDocuments(named name: String) async throws(StorageError) -> BucketAndDocuments

    // MARK: Objects

    // A key's rows are its versions; a read, copy or update names one by `versionID` (`nil`:
    // the latest), and throws `noSuchVersion`, `invalidVersionID`, or `deleteMarker` when what it
    // finds is a delete marker. Writes follow the bucket's versioning as the transaction reads
    // it (see SQLiteMetadataStore+Versions for the rules) and return records with the version
    // id they got.

    /// Throws `noSuchBucket`, `noSuchKey` or the version errors.
    func object(bucket: String, key: String, versionID: String?) async throws(StorageError) -> ObjectRecord
    /// Stores `object` as the newest version of its key, in place of the object there unless
    /// versioning keeps that. Throws `noSuchBucket`, or `fileAlreadyExists` if the key has an
    /// object, `forbidOverwrite` is set and versioning was never on.
    func putObject(_ object: ObjectRecord, forbidOverwrite: Bool) async throws(StorageError)
        -> (object: ObjectRecord, released: [BlobID])
    /// The object at `key` and, when it is a symlink, the latest object its target names (`nil`
    /// when missing), read in one snapshot. Throws `noSuchBucket`, `noSuchKey` or the version errors.
    /// With `withSegments` false the records come without their segments (empty): for HEAD,
    /// which reports no bytes and should not pay for reading where they are, or inline bodies.
    func objectAndSymlinkTarget(bucket: String, key: String, versionID: String?, withSegments: Bool) async throws(StorageError)
        -> (object: ObjectRecord, target: ObjectRecord?)
    /// In one transaction: reads the object (the latest one, `nil` when there is none, or the
    /// version `versionID` names, which must exist), asks `append` for what it becomes, and
    /// stores that: in place, keeping its version, or as a new object. An in-place result must
    /// keep the existing segments and may add more, so that only the new segments are written.
    /// Throws `noSuchBucket`, the version errors, or what `append` threw.
    func appendObject(
        bucket: String, key: String, versionID: String?, append: @escaping @Sendable (ObjectRecord?) throws -> ObjectRecord
    ) async throws -> ObjectRecord
    /// In one transaction: reads the source object, asks `derive` for the destination (which may
    /// share the source's blobs), and stores it as the destination key's newest version; source
    /// and destination may be the same. Returns the copy and its source. Throws `noSuchBucket`,
    /// `noSuchKey` or the version errors (the source), `fileAlreadyExists` as ``putObject(_:forbidOverwrite:)``,
    /// or what `derive` threw.
    func copyObject(
        sourceBucket: String, sourceKey: String, sourceVersionID: String?, destinationBucket: String,
        destinationKey: String, forbidOverwrite: Bool, derive: @escaping @Sendable (ObjectRecord) throws -> ObjectRecord
    ) async throws -> (object: ObjectRecord, source: ObjectRecord, released: [BlobID])
    /// Replaces the object's attributes with `update` of the current ones, leaving its bytes,
    /// ETag, Last-Modified and version alone (tags and ACL changes are not modifications in OSS).
    /// Returns the updated record. Throws `noSuchBucket`, `noSuchKey` or the version errors.
    func updateAttributes(
        bucket: String, key: String, versionID: String?, update: @escaping @Sendable (ObjectAttributes) -> ObjectAttributes
    ) async throws(StorageError) -> ObjectRecord
    /// Deletes as DeleteObject does, for each deletion in order, in one transaction: a missing key
    /// or version is not an error. `time` is the Last-Modified of the delete markers it creates.
    /// Throws `noSuchBucket` or `invalidVersionID`.
    func deleteObjects(bucket: String, _ deletions: [ObjectDeletion], time: Date) async throws(StorageError)
        -> (outcomes: [DeletionOutcome], released: [BlobID])
    /// The latest objects (no delete markers). Throws `noSuchBucket`.
    func listObjects(bucket: String, query: ObjectListQuery) async throws(StorageError) -> ObjectListing
    /// Every version and delete marker. Throws `noSuchBucket`.
    func listObjectVersions(bucket: String, query: VersionListQuery) async throws(StorageError) -> VersionListing

    // MARK: Multipart uploads

    /// Throws `noSuchBucket`, or `fileAlreadyExists` when `forbidOverwrite` is set, an object
    /// has the upload's key and versioning was never on.
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
    /// stores it as ``putObject(_:forbidOverwrite:)`` does, and deletes the upload with all its parts.
    ///
    /// `assemble` may throw to reject the completion (invalid parts, forbidden sizes), in which
    /// case nothing changes. Throws `fileAlreadyExists` if the key exists and `forbidOverwrite`
    /// is set, as ``putObject(_:forbidOverwrite:)``.
    func completeUpload(
        bucket: String, key: String, uploadID: String, forbidOverwrite: Bool,
        assemble: @escaping @Sendable (MultipartUpload, [PartRecord]) throws(StorageError) -> ObjectRecord
    ) async throws(StorageError) -> (object: ObjectRecord, released: [BlobID])
    /// Deletes the upload and its parts. Throws like ``upload(bucket:key:uploadID:)``.
    func abortUpload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> [BlobID]
    /// Throws `noSuchBucket`.
    func listUploads(bucket: String, query: UploadListQuery) async throws(StorageError) -> UploadListing

    // MARK: Users and access keys

    /// The first user: the one stored as such, or else `candidate`, created. Buckets without an
    /// owner (made before users existed) become its own, in the same transaction. Throws
    /// `userAlreadyExists` when another user has the candidate's name.
    func bootstrapOwner(_ candidate: UserRecord) async throws(StorageError) -> UserRecord
    /// Creates a user, with its first key when given. Throws `userAlreadyExists`.
    func createUser(_ user: UserRecord, key: AccessKeyRecord?) async throws(StorageError)
    /// Every user, oldest first.
    func users() async throws(StorageError) -> [UserRecord]
    /// Throws `noSuchUser`.
    func user(named name: String) async throws(StorageError) -> UserRecord
    /// Throws `noSuchUser`.
    func setUserDisabled(named name: String, _ disabled: Bool) async throws(StorageError)
    /// Deletes the user and its keys. Throws `noSuchUser`, or `userOwnsBuckets` while it owns any.
    func deleteUser(named name: String) async throws(StorageError)
    /// Every access key of every user.
    func accessKeys() async throws(StorageError) -> [AccessKeyRecord]
    func addAccessKey(_ key: AccessKeyRecord) async throws(StorageError)
    /// Throws `noSuchAccessKey`.
    func setAccessKeyActive(id: String, _ active: Bool) async throws(StorageError)
    /// Throws `noSuchAccessKey`.
    func deleteAccessKey(id: String) async throws(StorageError)
    func addTemporaryCredential(_ credential: TemporaryCredentialRecord) async throws(StorageError)
    /// Every temporary credential that expired after `cutoff`; older ones are deleted.
    func temporaryCredentials(expiringAfter cutoff: Date) async throws(StorageError) -> [TemporaryCredentialRecord]
    /// Revokes the one with this id, or with `userID` every one of that user's; returns how many.
    func revokeTemporaryCredentials(id: String?, userID: String?) async throws(StorageError) -> Int

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

    // MARK: Scrubbing

    /// The next `limit` blob files objects refer to, in blob id order after `blob` (from the
    /// first with `nil`), each once with its recorded size and CRC-64: what a scrub pass reads.
    func scrubTargets(after blob: BlobID?, limit: Int) async throws(StorageError) -> [ScrubTarget]
    /// Marks every object version whose bytes include `blob` as damaged, saying `reason`;
    /// returns them.
    func markDamaged(_ blob: BlobID, reason: String) async throws(StorageError) -> [DamagedObject]
    /// Clears the damage mark of every version of `key` (after its bytes were restored by hand);
    /// returns how many were marked.
    func forgetDamage(bucket: String, key: String) async throws(StorageError) -> Int
    /// Up to `limit` object versions marked damaged, by bucket and key.
    func damagedObjects(limit: Int) async throws(StorageError) -> [DamagedObject]
}

/// A blob file as the scrubber checks it: the size and CRC-64 its objects recorded.
struct ScrubTarget: Sendable, Hashable {
    var blob: BlobID
    var size: Int
    var crc64: UInt64
}

/// An object version whose stored bytes were found damaged, or a part of an unfinished
/// multipart upload (``part``).
struct DamagedObject: Sendable, Hashable {
    var bucket: String
    var key: String
    /// `null` for the null version; empty for a part.
    var versionID: String
    var reason: String
    /// The upload and part number, for a part not yet completed into an object.
    var part: Part?

    struct Part: Sendable, Hashable {
        var uploadID: String
        var partNumber: Int
    }

    /// Version or part, as a report shows it.
    var version: String {
        part.map { "upload \($0.uploadID) part \($0.partNumber)" } ?? versionID
    }
}

extension ScrubTarget {
    /// The first `limit` blobs of two lists each ordered by blob (objects' and parts'), each
    /// blob once: what one page of a pass reads.
    static func merged(_ first: [ScrubTarget], _ second: [ScrubTarget], limit: Int) -> [ScrubTarget] {
        var merged: [ScrubTarget] = []
        var (i, j) = (0, 0)
        while merged.count < limit, i < first.count || j < second.count {
            let next: ScrubTarget
            if j == second.count || (i < first.count && first[i].blob.rawValue <= second[j].blob.rawValue) {
                next = first[i]
                i += 1
            } else {
                next = second[j]
                j += 1
            }
            if merged.last?.blob != next.blob { merged.append(next) }
        }
        return merged
    }
}

extension MetadataStore {
    var isShared: Bool { false }

    /// Returns once the store answers a read: the readiness check (`/health/ready`) asks.
    func probe() async throws(StorageError) {
        _ = try await setting("health.probe")
    }

    /// One read after another: for a store whose reads cost no round trip.
    func bucketAndDocuments(named name: String) async throws(StorageError) -> BucketAndDocuments {
        let record = try await bucket(named: name)
        var documents: [BucketDocument: String] = [:]
        for kind in BucketDocument.allCases {
            documents[kind] = try await bucketDocument(bucket: name, kind)
        }
        return BucketAndDocuments(record: record, documents: documents)
    }
}

extension ObjectRecord {
    /// Checks that this record, what an append made of `current` in place, keeps what an
    /// in-place append may not change: key, version and the segments already there (so that a
    /// store writes only the new ones). Both stores run it inside the append's transaction.
    func checkAppended(to current: ObjectRecord) throws(StorageError) {
        guard bucket == current.bucket, key == current.key, versionID == current.versionID,
            segments.starts(with: current.segments)
        else {
            throw .metadata(detail: "an append must keep the key, version and segments of '\(current.bucket)/\(current.key)'")
        }
    }
}
