import OSSProtocol
extension ObjectStorage {
    // MARK: Object tagging

    /// GetObjectTagging: the object whose tags (empty when it has none) and version to report. Symlinks are not followed:
    /// a link has tags of its own. Throws `noSuchBucket` or `noSuchKey`.
    func objectTags(bucket: String, key: String, versionID: String? = nil) async throws(StorageError) -> ObjectRecord {
        try await metadata.object(bucket: bucket, key: key, versionID: versionID)
    }

    /// PutObjectTagging: replaces all of the object's tags; its bytes, ETag and Last-Modified stay.
    /// Throws `noSuchBucket`, `noSuchKey` or `invalidArgument` (``ObjectTags`` rules).
    @discardableResult
    func putObjectTags(bucket: String, key: String, versionID: String? = nil, tags: [String: String]) async throws(StorageError)
        -> ObjectRecord
    {
        try ObjectTags.validate(tags)
        return try await metadata.updateAttributes(bucket: bucket, key: key, versionID: versionID) { attributes in
            var updated = attributes
            updated.tags = tags
            return updated
        }
    }

    /// DeleteObjectTagging: removes all of the object's tags. Throws `noSuchBucket` or `noSuchKey`.
    @discardableResult
    func deleteObjectTags(bucket: String, key: String, versionID: String? = nil) async throws(StorageError) -> ObjectRecord {
        try await putObjectTags(bucket: bucket, key: key, versionID: versionID, tags: [:])
    }

    // MARK: Access control lists

    /// GetObjectACL: the object whose ACL (`default` unless set) and version to report.
    /// Throws `noSuchBucket`, `noSuchKey` or the version errors.
    func objectACL(bucket: String, key: String, versionID: String? = nil) async throws(StorageError) -> ObjectRecord {
        try await metadata.object(bucket: bucket, key: key, versionID: versionID)
    }

    /// PutObjectACL: its bytes, ETag and Last-Modified stay. Throws `noSuchBucket` or `noSuchKey`.
    @discardableResult
    func putObjectACL(bucket: String, key: String, versionID: String? = nil, acl: OSSObjectACL) async throws(StorageError)
        -> ObjectRecord
    {
        try await metadata.updateAttributes(bucket: bucket, key: key, versionID: versionID) { attributes in
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
        try await changeBucket(name) { $0.cors = cors }
    }

    /// PutBucketVersioning. Versioning that was on can be suspended but never turned off, so
    /// the only states a caller can ask for are the two of ``OSSVersioningStatus``.
    /// Throws `noSuchBucket`.
    @discardableResult
    func setVersioning(_ name: String, _ status: OSSVersioningStatus) async throws(StorageError) -> BucketRecord {
        try await changeBucket(name) { $0.versioning = status }
    }

    /// PutBucketLifecycle with a checked document, DeleteBucketLifecycle with `nil`. Throws
    /// `noSuchBucket`.
    @discardableResult
    func setLifecycle(_ name: String, _ lifecycle: String?) async throws(StorageError) -> BucketRecord {
        try await changeBucket(name) { $0.lifecycle = lifecycle }
    }

    /// A configuration document of the bucket, `nil` when unset. Throws `noSuchBucket`.
    func bucketDocument(_ name: String, _ kind: BucketDocument) async throws(StorageError) -> String? {
        try await metadata.bucketDocument(bucket: name, kind)
    }

    /// The in-memory copy of the documents read on every request of some kind.
    private func cache(_ kind: BucketDocument) -> BucketCache<String?>? {
        switch kind {
        case .referer: refererRules
        case .website: websites
        case .logging: loggingRules
        case .policy, .qosInfo, .storageCapacity: nil
        }
    }

    /// A configuration document of the bucket, `nil` when unset or when the bucket does not
    /// exist. Referer rules, websites and logging come from memory once read.
    func bucketDocumentIfAny(_ name: String, _ kind: BucketDocument) async throws(StorageError) -> String? {
        if let reads = RequestBucketReads.current {
            do {
                return try await reads.bucket(name, from: metadata).documents[kind]
            } catch .noSuchBucket {
                return nil
            }
        }
        let cache = cache(kind)
        if let cached = cache?.value(name) { return cached }
        let epoch = cache?.epoch ?? 0
        do {
            let document = try await metadata.bucketDocument(bucket: name, kind)
            cache?.remember(name, document, readAt: epoch)
            return document
        } catch .noSuchBucket {
            return nil
        }
    }

    /// Sets or (with `nil`) removes a configuration document of the bucket. Throws `noSuchBucket`.
    func setBucketDocument(_ name: String, _ kind: BucketDocument, _ document: String?) async throws(StorageError) {
        // Whatever the outcome, the next reader reads the database again.
        defer {
            RequestBucketReads.current?.forget(name)
            cache(kind)?.forget(name)
            if kind == .policy { policies.forget(name) }
        }
        try await metadata.setBucketDocument(bucket: name, kind, to: document)
    }

    /// The bucket's policy, parsed, `nil` when it has none; from memory once read. Throws
    /// `noSuchBucket`.
    func bucketPolicy(_ name: String) async throws(StorageError) -> OSSBucketPolicy? {
        if let reads = RequestBucketReads.current {
            return try Self.policy(try await reads.bucket(name, from: metadata).documents[.policy], bucket: name)
        }
        if let cached = policies.value(name) { return cached }
        let epoch = policies.epoch
        let policy = try Self.policy(try await metadata.bucketDocument(bucket: name, .policy), bucket: name)
        policies.remember(name, policy, readAt: epoch)
        return policy
    }

    private static func policy(_ text: String?, bucket: String) throws(StorageError) -> OSSBucketPolicy? {
        guard let text else { return nil }
        do throws(OSSError) {
            return try OSSBucketPolicy(json: text, bucket: bucket)
        } catch {
            // Stored only after the same check passed: the database was changed behind our back.
            throw .metadata(detail: "the stored policy of bucket '\(bucket)' no longer parses: \(error.message)")
        }
    }

    /// PutBucketACL. Throws `noSuchBucket`.
    @discardableResult
    func putBucketACL(_ name: String, acl: OSSBucketACL) async throws(StorageError) -> BucketRecord {
        try await changeBucket(name) { $0.acl = acl }
    }

    /// A user's account-wide Block Public Access (PutPublicAccessBlock on the service): the
    /// public ACLs of every bucket it owns grant nothing while it is on.
    func accountBlocksPublicAccess(user: String) async throws(StorageError) -> Bool {
        if let cached = accountBlocks.value(user) { return cached }
        let epoch = accountBlocks.epoch
        let blocks = try await metadata.setting(Self.accountBlockPublicAccess(user)) == "true"
        accountBlocks.remember(user, blocks, readAt: epoch)
        return blocks
    }

    /// PutPublicAccessBlock (`true` or `false`) and DeletePublicAccessBlock (`false`).
    func setAccountBlocksPublicAccess(_ blocks: Bool, user: String) async throws(StorageError) {
        defer { accountBlocks.forget(user) }
        try await metadata.setSetting(Self.accountBlockPublicAccess(user), to: blocks ? "true" : nil)
    }

    private static func accountBlockPublicAccess(_ user: String) -> String {
        "account.block-public-access/" + user
    }

    /// PutBucketPublicAccessBlock (`true` or `false`) and DeleteBucketPublicAccessBlock (`false`).
    /// Throws `noSuchBucket`.
    @discardableResult
    func setBlockPublicAccess(_ name: String, _ blocks: Bool) async throws(StorageError) -> BucketRecord {
        try await changeBucket(name) { $0.blocksPublicAccess = blocks }
    }

    /// Changes one setting of a bucket in one transaction and returns the bucket as stored.
    private func changeBucket(_ name: String, _ change: @escaping @Sendable (inout BucketRecord) -> Void)
        async throws(StorageError) -> BucketRecord
    {
        // Whatever the outcome, the next reader reads the database again.
        defer {
            RequestBucketReads.current?.forget(name)
            records.forget(name)
        }
        return try await metadata.updateBucket(named: name) { bucket in
            var updated = bucket
            change(&updated)
            return updated
        }
    }
}
