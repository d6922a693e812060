import GRDB

/// Operations that change an object in place or derive one from another: symlink resolution,
/// AppendObject, CopyObject and attribute updates (tags, ACL).
extension SQLiteMetadataStore {
    func objectAndSymlinkTarget(bucket: String, key: String, versionID: String?, withSegments: Bool) async throws(StorageError)
        -> (object: ObjectRecord, target: ObjectRecord?)
    {
        try await read { db in
            let object = try Self.addressedObject(
                db, bucket: bucket, key: key, versionID: versionID, withSegments: withSegments
            ).record
            guard object.type == .symlink, let target = object.symlinkTarget else { return (object, nil) }
            let resolved = try Self.fetchLatest(db, bucket: bucket, key: target, withSegments: withSegments)
            return (object, resolved.flatMap { $0.isDeleteMarker ? nil : $0.record })
        }
    }

    func appendObject(
        bucket: String, key: String, versionID: String?, append: @escaping @Sendable (ObjectRecord?) throws -> ObjectRecord
    ) async throws -> ObjectRecord {
        try await write { db in
            let current: StoredVersion?
            if let versionID {
                current = try Self.addressedObject(db, bucket: bucket, key: key, versionID: versionID)
            } else {
                try Self.requireBucket(db, bucket)
                current = try Self.fetchObject(db, bucket: bucket, key: key)
            }
            guard let current else {
                return try Self.storeVersion(db, try append(nil), forbidOverwrite: false).0
            }
            let object = try append(current.record)
            try object.checkAppended(to: current.record)
            guard object != current.record else { return object }
            try ObjectRow(object, id: current.id, isLatest: current.isLatest).update(db)
            try Self.insertSegments(db, objectID: current.id, object.segments.enumerated().dropFirst(current.record.segments.count))
            return object
        }
    }

    func copyObject(
        sourceBucket: String, sourceKey: String, sourceVersionID: String?, destinationBucket: String,
        destinationKey: String, forbidOverwrite: Bool, derive: @escaping @Sendable (ObjectRecord) throws -> ObjectRecord
    ) async throws -> (object: ObjectRecord, source: ObjectRecord, released: [BlobID]) {
        try await write { db in
            let source = try Self.addressedObject(db, bucket: sourceBucket, key: sourceKey, versionID: sourceVersionID).record
            try Self.requireBucket(db, destinationBucket)
            let object = try derive(source)
            guard object.bucket == destinationBucket, object.key == destinationKey else {
                throw StorageError.metadata(detail: "a copy must be stored at '\(destinationBucket)/\(destinationKey)'")
            }
            let (stored, released) = try Self.replaceObject(db, with: object, forbidOverwrite: forbidOverwrite)
            return (stored, source, released)
        }
    }

    func updateAttributes(
        bucket: String, key: String, versionID: String?, update: @escaping @Sendable (ObjectAttributes) -> ObjectAttributes
    ) async throws(StorageError) -> ObjectRecord {
        try await write { db in
            let current = try Self.addressedObject(db, bucket: bucket, key: key, versionID: versionID)
            var object = current.record
            object.attributes = update(object.attributes)
            try ObjectRow.filter(key: current.id).updateAll(db, AttributeColumns.assignments(object.attributes))
            return object
        }
    }
}
