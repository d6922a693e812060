import OSSProtocol

extension ObjectStorage {
    /// PutSymlink: a Symlink object at `key` pointing to `target` in the same bucket, in place of
    /// any object at `key`.
    ///
    /// The target need not exist: a link is resolved when read. The link has no bytes (size 0,
    /// CRC-64 0); its ETag is the MD5 of the target's name, so it changes exactly when the link is
    /// pointed elsewhere, and nothing derives `Content-MD5` from it because a link (and a copy of
    /// one) is never a Normal object. `target` is stored as given:
    /// the HTTP layer percent-decodes `x-oss-symlink-target` and checks it as a key name first.
    /// Throws `noSuchBucket`, `fileAlreadyExists` (with `forbidOverwrite`) or `invalidArgument`
    /// (an empty target, bad tags).
    func putSymlink(
        bucket: String, key: String, target: String, attributes: ObjectAttributes = ObjectAttributes(),
        forbidOverwrite: Bool = false
    ) async throws(StorageError) -> ObjectRecord {
        guard !target.isEmpty else { throw StorageError.invalidArgument("a symlink target must not be empty") }
        try ObjectTags.validate(attributes.tags)
        let link = ObjectRecord(
            bucket: bucket, key: key, size: 0, etag: OSSETag.forBody(target.utf8), crc64: 0,
            lastModified: Self.now(), type: .symlink, attributes: attributes, symlinkTarget: target, segments: [])
        let (stored, released) = try await metadata.putObject(link, forbidOverwrite: forbidOverwrite)
        await leases.retire(released)
        return stored
    }

    /// GetSymlink: the link itself (its target in ``ObjectRecord/symlinkTarget``), not followed.
    /// Throws `StorageError` (`noSuchBucket`, `noSuchKey`, the version errors, `notSymlink`).
    func symlink(bucket: String, key: String, versionID: String? = nil) async throws -> ObjectRecord {
        let object = try await metadata.object(bucket: bucket, key: key, versionID: versionID)
        guard object.type == .symlink else { throw StorageError.notSymlink(bucket: bucket, key: key) }
        return object
    }

    /// The object at `key` and, when it is a symlink, what to serve in its place: one level is
    /// followed, as OSS does, in one metadata snapshot: a link names a version of its own, and
    /// resolves to its target's latest object. Returns `(object to serve, link or nil)`.
    ///
    /// `withSegments` false returns records without segments, for callers that read no bytes
    /// (HEAD, access checks): see ``MetadataStore/objectAndSymlinkTarget(bucket:key:versionID:withSegments:)``.
    func resolve(
        bucket: String, key: String, versionID: String? = nil, withSegments: Bool = true
    ) async throws -> (object: ObjectRecord, link: ObjectRecord?) {
        let (object, target) = try await metadata.objectAndSymlinkTarget(
            bucket: bucket, key: key, versionID: versionID, withSegments: withSegments)
        guard object.type == .symlink else { return (object, nil) }
        guard let target, target.type != .symlink else {
            throw StorageError.symlinkTargetNotExist(bucket: bucket, key: key, target: object.symlinkTarget ?? "")
        }
        return (target, object)
    }
}
