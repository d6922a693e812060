import NIOCore
import OSSProtocol

extension ObjectStorage {
    /// PutObject: stores `body` as a Normal object, the newest version of `key`, replacing the
    /// object there unless the bucket's versioning keeps it (the returned record has the new
    /// version id).
    ///
    /// The body is streamed to disk in `chunkSize` pieces while its CRC-64 and MD5 are computed,
    /// then checked against `expectations`; the object becomes visible atomically when this
    /// returns. Throws `StorageError` (`noSuchBucket`, `fileAlreadyExists` when `forbidOverwrite`
    /// is set and the key exists, `invalidDigest`, `crcMismatch`, `incompleteBody`,
    /// `entityTooLarge`, `invalidArgument` for tags) or the error `body` threw; in every case
    /// nothing was stored.
    func putObject<Body: AsyncSequence>(
        bucket: String, key: String, body: Body, attributes: ObjectAttributes = ObjectAttributes(),
        expectations: WriteExpectations = .none, forbidOverwrite: Bool = false
    ) async throws -> ObjectRecord where Body.Element == ByteBuffer {
        try ObjectTags.validate(attributes.tags)
        // Fail before receiving gigabytes; the transaction checks again, authoritatively.
        try await precheckPut(bucket: bucket, key: key, forbidOverwrite: forbidOverwrite)
        // A small declared body goes into the metadata with its record: one commit, no file.
        let inline = expectations.contentLength.map { $0 <= configuration.inlineLimit } ?? false
        let staged = inline
            ? try await stager.stageInline(body, expecting: expectations)
            : try await stager.stage(body, expecting: expectations)
        let record = ObjectRecord(
            bucket: bucket, key: key, size: staged.size, etag: staged.etag, crc64: staged.crc64,
            lastModified: Self.now(), type: .normal, attributes: attributes, segments: [staged.segment],
            checksums: .received(crc64nvme: staged.crc64nvme, declared: expectations.declaredChecksum)
        )
        let metadata = self.metadata
        return try await commit(staged) { () throws(StorageError) in
            try await metadata.putObject(record, forbidOverwrite: forbidOverwrite)
        }
    }

    /// HeadObject / GetObjectMeta: the record of the object (the latest, or the version
    /// `versionID` names) or, for a symlink, its target's (one level is followed, as OSS does;
    /// ``symlink(bucket:key:versionID:)`` returns the link itself).
    /// Throws `StorageError` (`noSuchBucket`, `noSuchKey`, the version errors) or
    /// ``StorageError/symlinkTargetNotExist(bucket:key:target:)``.
    func objectInfo(bucket: String, key: String, versionID: String? = nil) async throws -> ObjectRecord {
        try await resolve(bucket: bucket, key: key, versionID: versionID).object
    }

    /// GetObject: a consistent snapshot of the object to stream; for a symlink, of its target,
    /// whose bytes, size and CRC-64 are served (``OpenedObject/symlink`` keeps the link).
    ///
    /// The returned value pins the object's bytes: a concurrent overwrite or delete does not
    /// disturb a read that has started. Check conditions (If-Match …) and resolve the `Range`
    /// against `record`, then call ``OpenedObject/body(range:verify:)``.
    /// Throws like ``objectInfo(bucket:key:)``.
    ///
    /// With `readingBytes` false (HEAD), nothing is pinned and no body may be read.
    func openObject(bucket: String, key: String, versionID: String? = nil, readingBytes: Bool = true) async throws
        -> OpenedObject
    {
        let resolved = try await resolve(bucket: bucket, key: key, versionID: versionID, withSegments: readingBytes)
        var record = resolved.object
        try record.checkUndamaged()
        if !readingBytes {
            // HEAD: the record came without its segments, and no body may be read.
            return OpenedObject(
                record: record, symlink: resolved.link, lease: leases.lease([]), blobs: blobs,
                chunkSize: configuration.chunkSize, damage: damage, hasSegments: false)
        }
        if record.segments.allSatisfy({ $0.inline != nil }) {
            // The bytes came with the record, in the same snapshot: nothing to pin.
            return OpenedObject(
                record: record, symlink: resolved.link, lease: leases.lease([]), blobs: blobs,
                chunkSize: configuration.chunkSize, damage: damage)
        }
        while true {
            let lease = leases.lease(record.segments.map(\.blob))
            // A delete that committed before the lease was taken may already have removed the
            // blobs; it would also have changed what metadata says now. Blobs still referenced
            // now stay until the lease ends, whichever object (or copy) refers to them.
            let (current, link) = try await resolve(bucket: bucket, key: key, versionID: versionID)
            if current.segments == record.segments {
                return OpenedObject(
                    record: current, symlink: link, lease: lease, blobs: blobs, chunkSize: configuration.chunkSize,
                    damage: damage)
            }
            record = current
        }
    }

    /// DeleteObject: removes the object, or leaves a delete marker in a bucket with versioning
    /// enabled or suspended, or removes the version `versionID` names for good; a missing key
    /// or version is not an error (OSS answers 204 alike). Throws `noSuchBucket` or
    /// `invalidVersionID`.
    @discardableResult
    func deleteObject(bucket: String, key: String, versionID: String? = nil) async throws(StorageError) -> DeletionOutcome {
        try await deleteObjects(bucket: bucket, [ObjectDeletion(key: key, versionID: versionID)])[0]
    }

    /// DeleteMultipleObjects: deletes as ``deleteObject(bucket:key:versionID:)`` for each entry,
    /// in one transaction, and reports each outcome in order. Throws `noSuchBucket` or
    /// `invalidVersionID`.
    @discardableResult
    func deleteObjects(bucket: String, _ deletions: [ObjectDeletion]) async throws(StorageError) -> [DeletionOutcome] {
        let metadata = self.metadata
        let time = Self.now()
        var outcomes: [DeletionOutcome] = []
        try await freeingSpace { () throws(StorageError) in
            let result = try await metadata.deleteObjects(bucket: bucket, deletions, time: time)
            outcomes = result.outcomes
            return result.released
        }
        return outcomes
    }

    /// ListObjectVersions. Throws `noSuchBucket`.
    func listObjectVersions(bucket: String, query: VersionListQuery = VersionListQuery()) async throws(StorageError)
        -> VersionListing
    {
        try await metadata.listObjectVersions(bucket: bucket, query: query)
    }

    /// ListObjects (V1 and V2). Throws `noSuchBucket`.
    func listObjects(bucket: String, query: ObjectListQuery = ObjectListQuery()) async throws(StorageError)
        -> ObjectListing
    {
        try await metadata.listObjects(bucket: bucket, query: query)
    }

    private func precheckPut(bucket: String, key: String, forbidOverwrite: Bool) async throws(StorageError) {
        // With versioning on, nothing is overwritten and the header does not apply.
        guard forbidOverwrite, try await metadata.bucket(named: bucket).versioning == nil else { return }
        do throws(StorageError) {
            _ = try await metadata.object(bucket: bucket, key: key, versionID: nil)
        } catch .noSuchKey {
            return
        }
        throw StorageError.fileAlreadyExists(bucket: bucket, key: key)
    }
}
