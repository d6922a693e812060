import Foundation
import OSSProtocol
import PostgresNIO

extension PostgresMetadataStore {
    func object(bucket: String, key: String, versionID: String?) async throws(StorageError) -> ObjectRecord {
        try await read { db in try await Self.addressedObject(db, bucket: bucket, key: key, versionID: versionID).record }
    }

    func putObject(_ object: ObjectRecord, forbidOverwrite: Bool) async throws(StorageError)
        -> (object: ObjectRecord, released: [BlobID])
    {
        try await write(locking: [Self.lock(bucket: object.bucket, key: object.key)]) { db in
            try await Self.replaceObject(db, with: object, forbidOverwrite: forbidOverwrite)
        }
    }

    func deleteObjects(bucket: String, _ deletions: [ObjectDeletion], time: Date) async throws(StorageError)
        -> (outcomes: [DeletionOutcome], released: [BlobID])
    {
        try await write(locking: deletions.map { Self.lock(bucket: bucket, key: $0.key) }) { db in
            var outcomes: [DeletionOutcome] = []
            var released: [BlobID] = []
            for deletion in deletions {
                let (outcome, blobs) = try await Self.delete(db, bucket: bucket, deletion, time: time)
                outcomes.append(outcome)
                released += blobs
            }
            return (outcomes, try await Self.unreferenced(db, released))
        }
    }

    func objectAndSymlinkTarget(bucket: String, key: String, versionID: String?, withSegments: Bool) async throws(StorageError)
        -> (object: ObjectRecord, target: ObjectRecord?)
    {
        // Every GET and HEAD: the latest object in one statement. A symlink, a version, a delete
        // marker or a missing key take the snapshot below, which tells them apart.
        if versionID == nil,
            let latest = try await statement({ db in
                try await Self.fetchLatestJoined(db, bucket: bucket, key: key, withSegments: withSegments)
            }), !latest.isDeleteMarker, latest.record.type != .symlink
        {
            return (latest.record, nil)
        }
        return try await read { db in
            let object = try await Self.addressedObject(
                db, bucket: bucket, key: key, versionID: versionID, withSegments: withSegments
            ).record
            guard object.type == .symlink, let target = object.symlinkTarget else { return (object, nil) }
            let resolved = try await Self.fetchLatest(db, bucket: bucket, key: target, withSegments: withSegments)
            return (object, resolved.flatMap { $0.isDeleteMarker ? nil : $0.record })
        }
    }

    func appendObject(
        bucket: String, key: String, versionID: String?, append: @escaping @Sendable (ObjectRecord?) throws -> ObjectRecord
    ) async throws -> ObjectRecord {
        try await write(locking: [Self.lock(bucket: bucket, key: key)]) { db in
            let current: StoredVersion?
            if let versionID {
                current = try await Self.addressedObject(db, bucket: bucket, key: key, versionID: versionID)
            } else {
                try await Self.requireBucket(db, bucket)
                current = try await Self.fetchObject(db, bucket: bucket, key: key)
            }
            guard let current else {
                return try await Self.storeVersion(db, try append(nil), forbidOverwrite: false).0
            }
            let object = try append(current.record)
            try object.checkAppended(to: current.record)
            guard object != current.record else { return object }
            try await Self.claim(db, object.segments.dropFirst(current.record.segments.count))
            try await Self.updateRow(db, id: current.id, object)
            try await Self.insertSegments(
                db, objectID: current.id, object.segments.enumerated().dropFirst(current.record.segments.count))
            return object
        }
    }

    func copyObject(
        sourceBucket: String, sourceKey: String, sourceVersionID: String?, destinationBucket: String,
        destinationKey: String, forbidOverwrite: Bool, derive: @escaping @Sendable (ObjectRecord) throws -> ObjectRecord
    ) async throws -> (object: ObjectRecord, source: ObjectRecord, released: [BlobID]) {
        // The source's lock too: the copy refers to the source's blobs, which a write of the
        // source key must not find unreferenced meanwhile.
        let locks = [Self.lock(bucket: destinationBucket, key: destinationKey), Self.lock(bucket: sourceBucket, key: sourceKey)]
        return try await write(locking: locks) { db in
            let source = try await Self.addressedObject(
                db, bucket: sourceBucket, key: sourceKey, versionID: sourceVersionID
            ).record
            try await Self.requireBucket(db, destinationBucket)
            let object = try derive(source)
            guard object.bucket == destinationBucket, object.key == destinationKey else {
                throw StorageError.metadata(detail: "a copy must be stored at '\(destinationBucket)/\(destinationKey)'")
            }
            let (stored, released) = try await Self.replaceObject(db, with: object, forbidOverwrite: forbidOverwrite)
            return (stored, source, released)
        }
    }

    func updateAttributes(
        bucket: String, key: String, versionID: String?, update: @escaping @Sendable (ObjectAttributes) -> ObjectAttributes
    ) async throws(StorageError) -> ObjectRecord {
        try await write(locking: [Self.lock(bucket: bucket, key: key)]) { db in
            let current = try await Self.addressedObject(db, bucket: bucket, key: key, versionID: versionID)
            var object = current.record
            object.attributes = update(object.attributes)
            try await Self.updateAttributes(db, id: current.id, object.attributes)
            return object
        }
    }

    func listObjects(bucket: String, query: ObjectListQuery) async throws(StorageError) -> ObjectListing {
        try await read { db in
            try await Self.requireBucket(db, bucket)
            let rollup = KeyRollup(prefix: query.prefix, delimiter: query.delimiter, marker: query.marker)
            let page = try await RolledUpPage<ObjectSummary>.collect(
                rollup: rollup, start: rollup.start, limit: query.maxKeys,
                key: { Array($0.key.utf8) }, tail: { Array($0.key.utf8) }
            ) { cursor, limit in
                guard let range = PostgresKeyRange(cursor: cursor, prefix: rollup.prefix) else { return [] }
                return try await db.rows(
                    """
                    SELECT \(unescaped: PostgresRows.summaryColumns) FROM objects
                    WHERE bucket = \(bucket) AND is_latest AND NOT delete_marker
                        AND key \(unescaped: range.lowerOperator) \(range.lower) AND (\(range.upper)::text IS NULL OR key < \(range.upper))
                    ORDER BY key LIMIT \(limit)
                    """
                ).map(PostgresRows.summary)
            }
            return ObjectListing(page: page)
        }
    }

    func listObjectVersions(bucket: String, query: VersionListQuery) async throws(StorageError) -> VersionListing {
        try await read { db in
            try await Self.requireBucket(db, bucket)
            let rollup = KeyRollup(prefix: query.prefix, delimiter: query.delimiter, marker: query.keyMarker)
            var start = rollup.start.map { VersionCursor(key: $0, rowID: nil) }
            if case .after(let cursor) = start, let marker = query.versionIDMarker, let keyMarker = query.keyMarker {
                start = .after(
                    VersionCursor(key: cursor.key, rowID: try await Self.rowID(db, bucket: bucket, key: keyMarker, versionID: marker)))
            }
            let page = try await RolledUpPage<VersionSummary>.collect(
                rollup: rollup, start: start, limit: query.maxKeys,
                key: { Array($0.object.key.utf8) }, tail: { VersionCursor(key: Array($0.object.key.utf8), rowID: $0.rowID) }
            ) { cursor, limit in
                try await Self.versions(db, bucket: bucket, from: cursor, prefix: rollup.prefix, limit: limit)
            }
            return VersionListing(page: page)
        }
    }

    /// Where a ListObjectVersions page resumes within `key`: as in the SQLite store.
    private static func rowID(_ db: PostgresTransaction, bucket: String, key: String, versionID: String) async throws -> Int64? {
        if let rowID = ObjectVersionID.rowID(versionID) { return rowID }
        guard !key.utf8.contains(0) else { return nil }
        return try await fetchVersion(db, bucket: bucket, key: key, versionID: versionID, withSegments: false)?.id
    }

    /// Up to `limit` versions from `cursor` on, by key then newest first.
    private static func versions(
        _ db: PostgresTransaction, bucket: String, from cursor: ListCursor<VersionCursor>, prefix: [UInt8], limit: Int
    ) async throws -> [VersionSummary] {
        var rows: [VersionSummary] = []
        let keyCursor: ListCursor<[UInt8]>
        switch cursor {
        case .from(let bytes):
            keyCursor = .from(bytes)
        case .after(let position):
            if let rowID = position.rowID, !position.key.contains(0) {
                // The rest of the marker's key first, then the keys after it.
                let key = String(decoding: position.key, as: UTF8.self)
                rows = try await db.rows(
                    """
                    SELECT \(unescaped: PostgresRows.versionColumns) FROM objects
                    WHERE bucket = \(bucket) AND key = \(key) AND id < \(rowID) ORDER BY id DESC LIMIT \(limit)
                    """
                ).map(PostgresRows.versionSummary)
            }
            keyCursor = .after(position.key)
        }
        guard rows.count < limit, let range = PostgresKeyRange(cursor: keyCursor, prefix: prefix) else { return rows }
        rows += try await db.rows(
            """
            SELECT \(unescaped: PostgresRows.versionColumns) FROM objects
            WHERE bucket = \(bucket) AND key \(unescaped: range.lowerOperator) \(range.lower)
                AND (\(range.upper)::text IS NULL OR key < \(range.upper))
            ORDER BY key, id DESC LIMIT \(limit - rows.count)
            """
        ).map(PostgresRows.versionSummary)
        return rows
    }

    /// Stores `object` in place of any object at its key and returns it as stored, with the
    /// blobs no row refers to any more.
    static func replaceObject(
        _ db: PostgresTransaction, with object: ObjectRecord, forbidOverwrite: Bool
    ) async throws -> (ObjectRecord, [BlobID]) {
        let (stored, replaced) = try await storeVersion(db, object, forbidOverwrite: forbidOverwrite)
        return (stored, try await unreferenced(db, replaced))
    }
}
