import OSSProtocol
extension ObjectStorage {
    // MARK: Object tagging

    /// GetObjectTagging: the object's tags (empty when it has none). Symlinks are not followed:
    /// a link has tags of its own. Throws `noSuchBucket` or `noSuchKey`.
    func objectTags(bucket: String, key: String) async throws(StorageError) -> [String: String] {
        try await metadata.object(bucket: bucket, key: key).attributes.tags
    }

    /// PutObjectTagging: replaces all of the object's tags; its bytes, ETag and Last-Modified stay.
    /// Throws `noSuchBucket`, `noSuchKey` or `invalidArgument` (``ObjectTags`` rules).
    @discardableResult
    func putObjectTags(bucket: String, key: String, tags: [String: String]) async throws(StorageError) -> ObjectRecord {
        try ObjectTags.validate(tags)
        return try await metadata.updateAttributes(bucket: bucket, key: key) { attributes in
            var updated = attributes
            updated.tags = tags
            return updated
        }
    }

    /// DeleteObjectTagging: removes all of the object's tags. Throws `noSuchBucket` or `noSuchKey`.
    @discardableResult
    func deleteObjectTags(bucket: String, key: String) async throws(StorageError) -> ObjectRecord {
        try await putObjectTags(bucket: bucket, key: key, tags: [:])
    }

    // MARK: Access control lists

    /// GetObjectACL: `default` unless set. Throws `noSuchBucket` or `noSuchKey`.
    func objectACL(bucket: String, key: String) async throws(StorageError) -> OSSObjectACL {
        try await metadata.object(bucket: bucket, key: key).attributes.acl
    }

    /// PutObjectACL: its bytes, ETag and Last-Modified stay. Throws `noSuchBucket` or `noSuchKey`.
    @discardableResult
    func putObjectACL(bucket: String, key: String, acl: OSSObjectACL) async throws(StorageError) -> ObjectRecord {
        try await metadata.updateAttributes(bucket: bucket, key: key) { attributes in
            var updated = attributes
            updated.acl = acl
            return updated
        }
    }

    /// GetBucketACL. Throws `noSuchBucket`.
    func bucketACL(_ name: String) async throws(StorageError) -> OSSBucketACL {
        try await metadata.bucket(named: name).acl
    }

    /// PutBucketCors with a document, DeleteBucketCors with `nil`. Throws `noSuchBucket`.
    @discardableResult
    func setBucketCORS(_ name: String, cors: String?) async throws(StorageError) -> BucketRecord {
        try await metadata.updateBucket(named: name) { bucket in
            var updated = bucket
            updated.cors = cors
            return updated
        }
    }

    /// PutBucketACL. Throws `noSuchBucket`.
    @discardableResult
    func putBucketACL(_ name: String, acl: OSSBucketACL) async throws(StorageError) -> BucketRecord {
        try await metadata.updateBucket(named: name) { bucket in
            var updated = bucket
            updated.acl = acl
            return updated
        }
    }

    /// The account's Block Public Access (PutPublicAccessBlock on the service): every bucket's
    /// public ACLs grant nothing while it is on.
    func accountBlocksPublicAccess() async throws(StorageError) -> Bool {
        try await metadata.setting(Self.accountBlockPublicAccess) == "true"
    }

    /// PutPublicAccessBlock (`true` or `false`) and DeletePublicAccessBlock (`false`).
    func setAccountBlocksPublicAccess(_ blocks: Bool) async throws(StorageError) {
        try await metadata.setSetting(Self.accountBlockPublicAccess, to: blocks ? "true" : nil)
    }

    private static let accountBlockPublicAccess = "account.block-public-access"

    /// PutBucketPublicAccessBlock (`true` or `false`) and DeleteBucketPublicAccessBlock (`false`).
    /// Throws `noSuchBucket`.
    @discardableResult
    func setBlockPublicAccess(_ name: String, _ blocks: Bool) async throws(StorageError) -> BucketRecord {
        try await metadata.updateBucket(named: name) { bucket in
            var updated = bucket
            updated.blocksPublicAccess = blocks
            return updated
        }
    }
}
