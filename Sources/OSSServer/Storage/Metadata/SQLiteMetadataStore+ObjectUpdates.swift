import GRDB

/// Operations that change an object in place or derive one from another: symlink resolution,
/// AppendObject, CopyObject and attribute updates (tags, ACL).
extension SQLiteMetadataStore {
    func objectAndSymlinkTarget(bucket: String, key: String) async throws(StorageError)
        -> (object: ObjectRecord, target: ObjectRecord?)
    {
        try await read { db in
            guard let (_, object) = try Self.fetchObject(db, bucket: bucket, key: key) else {
                try Self.requireBucket(db, bucket)
                throw StorageError.noSuchKey(bucket: bucket, key: key)
            }
            guard object.type == .symlink, let target = object.symlinkTarget else { return (object, nil) }
            return (object, try Self.fetchObject(db, bucket: bucket, key: target)?.1)
        }
    }

    func appendObject(
        bucket: String, key: String, append: @escaping @Sendable (ObjectRecord?) throws -> ObjectRecord
    ) async throws -> ObjectRecord {
        try await write { db in
            try Self.requireBucket(db, bucket)
            guard let (id, current) = try Self.fetchObject(db, bucket: bucket, key: key) else {
                let object = try append(nil)
                try Self.insertObject(db, object)
                return object
            }
            let object = try append(current)
            guard object.bucket == bucket, object.key == key, object.segments.starts(with: current.segments) else {
                throw StorageError.metadata(detail: "an append must keep the key and the segments of '\(bucket)/\(key)'")
            }
            guard object != current else { return object }
            try ObjectRow(object, id: id).update(db)
            try Self.insertSegments(db, objectID: id, object.segments.enumerated().dropFirst(current.segments.count))
            return object
        }
    }

    func copyObject(
        sourceBucket: String, sourceKey: String, destinationBucket: String, destinationKey: String,
        forbidOverwrite: Bool, derive: @escaping @Sendable (ObjectRecord) throws -> ObjectRecord
    ) async throws -> (object: ObjectRecord, released: [BlobID]) {
        try await write { db in
            guard let (_, source) = try Self.fetchObject(db, bucket: sourceBucket, key: sourceKey) else {
                try Self.requireBucket(db, sourceBucket)
                throw StorageError.noSuchKey(bucket: sourceBucket, key: sourceKey)
            }
            try Self.requireBucket(db, destinationBucket)
            let object = try derive(source)
            guard object.bucket == destinationBucket, object.key == destinationKey else {
                throw StorageError.metadata(detail: "a copy must be stored at '\(destinationBucket)/\(destinationKey)'")
            }
            let replaced = try Self.replaceObject(db, with: object, forbidOverwrite: forbidOverwrite)
            return (object, try Self.unreferenced(db, replaced))
        }
    }

    func updateAttributes(
        bucket: String, key: String, update: @escaping @Sendable (ObjectAttributes) -> ObjectAttributes
    ) async throws(StorageError) -> ObjectRecord {
        try await write { db in
            guard let (id, current) = try Self.fetchObject(db, bucket: bucket, key: key) else {
                try Self.requireBucket(db, bucket)
                throw StorageError.noSuchKey(bucket: bucket, key: key)
            }
            var object = current
            object.attributes = update(current.attributes)
            try ObjectRow.filter(key: id).updateAll(db, AttributeColumns.assignments(object.attributes))
            return object
        }
    }
}
