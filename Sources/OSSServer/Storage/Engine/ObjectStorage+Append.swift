import NIOCore

extension ObjectStorage {
    /// AppendObject: adds `body` at the end of the Appendable object at `key`, or creates one
    /// with it when `position` is 0 and the key is missing.
    ///
    /// The body is staged like a PutObject's (CRC-64 and MD5 in one pass, fsync, rename) and
    /// becomes a new segment of the object; no stored byte is read or rewritten. The object's
    /// CRC-64 is the old one combined with the appended bytes'. `position` is compared with the
    /// length inside the metadata transaction that adds the segment, so of concurrent appends at
    /// one position exactly one succeeds; a crash leaves the object as it was before the append
    /// or as it is after it, never in between.
    ///
    /// `attributes` apply (and their tags are checked) only when the append creates the object,
    /// as OSS ignores creation headers on later appends. In `expectations`, `crc64` is
    /// the CRC-64 the client expects of the **whole object after the append** (what
    /// `x-oss-hash-crc64ecma` means on AppendObject, §4.3), while `contentMD5` and
    /// `contentLength` describe the appended bytes.
    ///
    /// Throws ``StorageError`` (`objectNotAppendable`, `positionNotEqualToLength` with the
    /// current length and CRC-64), `StorageError` (`noSuchBucket`, `entityTooLarge` when the
    /// object would pass `maxObjectSize`, `crcMismatch`, `invalidDigest`, `incompleteBody`,
    /// `invalidArgument` for tags) or the error `body` threw; in every case nothing changed.
    /// SealAppendObject: no more appends to the Appendable object at `key`, whose length must
    /// be `position`. Sealing a sealed object changes nothing. Throws `noSuchBucket`,
    /// `noSuchKey`, `objectNotAppendable` or `positionNotEqualToLength`.
    @discardableResult
    func sealAppendObject(bucket: String, key: String, position: Int) async throws -> ObjectRecord {
        let time = Self.now()
        return try await metadata.appendObject(bucket: bucket, key: key, versionID: nil) { current in
            try ObjectAppend.seal(current, position: position, time: time, bucket: bucket, key: key)
        }
    }

    /// RestoreObject: makes an archived object (the latest, or the version `versionID` names)
    /// readable for `days` after
    /// ``StorageConfiguration/restoreDelay``, or extends a finished restore. Returns the object and
    /// whether a restore started (OSS answers 202 then, 200 for an extension). Throws
    /// `noSuchBucket`, `noSuchKey`, `operationNotSupported` or `restoreAlreadyInProgress`.
    func restoreObject(bucket: String, key: String, versionID: String? = nil, days: Int) async throws
        -> (object: ObjectRecord, started: Bool)
    {
        let restore = ObjectRestore(bucket: bucket, key: key, days: days, delay: configuration.restoreDelay, time: Self.now())
        // The transaction that grows appendable objects updates any object in place.
        let object = try await metadata.appendObject(bucket: bucket, key: key, versionID: versionID) { current throws(StorageError) in
            try restore.apply(to: current)
        }
        // A restore that started now is ready at or after now; an extended one was ready before.
        return (object, object.restore.map { $0.readyTime >= restore.time } ?? false)
    }

    func appendObject<Body: AsyncSequence>(
        bucket: String, key: String, position: Int, body: Body, attributes: ObjectAttributes = ObjectAttributes(),
        expectations: WriteExpectations = .none
    ) async throws -> ObjectRecord where Body.Element == ByteBuffer {
        // Fail before receiving the body; the transaction checks again, authoritatively.
        let current: ObjectRecord?
        do throws(StorageError) {
            current = try await metadata.object(bucket: bucket, key: key, versionID: nil)
        } catch .noSuchKey, .deleteMarker {
            current = nil
        }
        try ObjectAppend.check(position: position, of: current, bucket: bucket, key: key)
        if current == nil { try ObjectTags.validate(attributes.tags) }

        let limit = configuration.maxObjectSize
        var bodyExpectations = expectations
        bodyExpectations.crc64 = nil
        var stager = self.stager
        stager.maxSize = max(limit - position, 0)
        let staged: StagedBlob
        do {
            staged = try await stager.stage(body, expecting: bodyExpectations)
        } catch StorageError.entityTooLarge(let size, _) {
            throw StorageError.entityTooLarge(size: position + size, limit: limit)
        }
        let append = ObjectAppend(
            bucket: bucket, key: key, position: position, appended: staged.size > 0 ? staged.segment : nil,
            appendedMD5: staged.md5, appendedNVME: staged.crc64nvme, attributes: attributes, expectedCRC64: expectations.crc64, maxSize: limit,
            time: Self.now())
        let metadata = self.metadata
        guard staged.size > 0 else {
            await staged.writer?.discard()
            return try await metadata.appendObject(bucket: bucket, key: key, versionID: nil, append: append.apply)
        }
        return try await commit(staged) {
            (try await metadata.appendObject(bucket: bucket, key: key, versionID: nil, append: append.apply), [])
        }
    }
}
