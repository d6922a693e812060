import OSSProtocol
extension ObjectStorage {
    /// CopyObject: the object at `sourceKey`, stored again at `destinationKey` (in place of any
    /// object there) without copying or reading a byte.
    ///
    /// Blobs are immutable and deleted only when nothing refers to them, so the copy shares the
    /// source's blobs: it costs one metadata transaction whatever the size, and deleting or
    /// overwriting either object leaves the other intact. That is also why no size limit applies.
    /// The source is read, checked against `conditions` and shared in the transaction that stores
    /// the copy. See ``ObjectCopy/derive(from:)`` for the copy's type, ETag and CRC-64.
    ///
    /// - Parameters:
    ///   - metadataDirective: where content headers, user metadata, storage class and ACL come
    ///     from (`x-oss-metadata-directive`).
    ///   - taggingDirective: where the tags come from (`x-oss-tagging-directive`).
    ///   - acl: `x-oss-object-acl`, which overrides the directive's ACL when sent.
    ///   - storageClass: `x-oss-storage-class`, which overrides the directive's when sent.
    ///
    /// Throws `StorageError` (`noSuchBucket` for either bucket, `noSuchKey` for the source,
    /// `fileAlreadyExists` with `forbidOverwrite`, `invalidArgument` for tags) or
    /// ``StorageError/copySourceConditionFailed(bucket:key:condition:)``; then nothing changed.
    /// Returns the copy (with the version id the destination got) and the source it was made of
    /// (with its version id, `x-oss-copy-source-version-id`).
    func copyObject(
        sourceBucket: String, sourceKey: String, sourceVersionID: String? = nil, destinationBucket: String, destinationKey: String,
        metadataDirective: MetadataDirective = .copy, taggingDirective: TaggingDirective = .copy,
        acl: OSSObjectACL? = nil, storageClass: OSSStorageClass? = nil, conditions: OSSConditions = .none,
        forbidOverwrite: Bool = false
    ) async throws -> (object: ObjectRecord, source: ObjectRecord) {
        if case .replace(let tags) = taggingDirective { try ObjectTags.validate(tags) }
        let copy = ObjectCopy(
            destinationBucket: destinationBucket, destinationKey: destinationKey, metadata: metadataDirective,
            tagging: taggingDirective, acl: acl, storageClass: storageClass, conditions: conditions, time: Self.now())
        let (object, source, released) = try await metadata.copyObject(
            sourceBucket: sourceBucket, sourceKey: sourceKey, sourceVersionID: sourceVersionID,
            destinationBucket: destinationBucket, destinationKey: destinationKey, forbidOverwrite: forbidOverwrite,
            derive: copy.derive)
        await leases.retire(released)
        return (object, source)
    }
}
