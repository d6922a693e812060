import Foundation
import GRDB
import OSSProtocol

extension SQLiteMetadataStore {
    func object(bucket: String, key: String, versionID: String?) async throws(StorageError) -> ObjectRecord {
        try await read { db in try Self.addressedObject(db, bucket: bucket, key: key, versionID: versionID).record }
    }

    func putObject(_ object: ObjectRecord, forbidOverwrite: Bool) async throws(StorageError)
        -> (object: ObjectRecord, released: [BlobID])
    {
        try await write { db in try Self.replaceObject(db, with: object, forbidOverwrite: forbidOverwrite) }
    }

    func deleteObjects(bucket: String, _ deletions: [ObjectDeletion], time: Date) async throws(StorageError)
        -> (outcomes: [DeletionOutcome], released: [BlobID])
    {
        try await write { db in
            var outcomes: [DeletionOutcome] = []
            var released: [BlobID] = []
            for deletion in deletions {
                let (outcome, blobs) = try Self.delete(db, bucket: bucket, deletion, time: time)
                outcomes.append(outcome)
                released += blobs
            }
            return (outcomes, try Self.unreferenced(db, released))
        }
    }

    func listObjects(bucket: String, query: ObjectListQuery) async throws(StorageError) -> ObjectListing {
        try await read { db in
            try Self.requireBucket(db, bucket)
            let rollup = KeyRollup(prefix: query.prefix, delimiter: query.delimiter, marker: query.marker)
            let page = try RolledUpPage<ObjectSummary>.collect(
                rollup: rollup, start: rollup.start, limit: query.maxKeys,
                key: { Array($0.key.utf8) }, tail: { Array($0.key.utf8) }
            ) { cursor, limit in
                let (range, arguments) = Self.keyRange(ObjectRow.Columns.key, cursor, prefix: rollup.prefix)
                // The partial index of current versions, named: left to itself, SQLite walks the
                // index of all versions, which reads every noncurrent version of every key.
                return try ObjectSummaryRow.fetchAll(
                    db,
                    sql: """
                        SELECT \(ObjectSummaryRow.columnList) FROM objects INDEXED BY objects_latest
                        WHERE bucket = ? AND is_latest = 1 AND delete_marker = 0 AND \(range) ORDER BY key LIMIT ?
                        """,
                    arguments: [bucket] + arguments + [limit]
                ).map(\.summary)
            }
            return ObjectListing(page: page)
        }
    }

    func listObjectVersions(bucket: String, query: VersionListQuery) async throws(StorageError) -> VersionListing {
        try await read { db in
            try Self.requireBucket(db, bucket)
            let rollup = KeyRollup(prefix: query.prefix, delimiter: query.delimiter, marker: query.keyMarker)
            var start = rollup.start.map { VersionCursor(key: $0, rowID: nil) }
            if case .after(let cursor) = start, let marker = query.versionIDMarker, let keyMarker = query.keyMarker {
                start = .after(VersionCursor(key: cursor.key, rowID: try Self.rowID(db, bucket: bucket, key: keyMarker, versionID: marker)))
            }
            let page = try RolledUpPage<VersionSummary>.collect(
                rollup: rollup, start: start, limit: query.maxKeys,
                key: { Array($0.object.key.utf8) }, tail: { VersionCursor(key: Array($0.object.key.utf8), rowID: $0.rowID) }
            ) { cursor, limit in
                try Self.versions(db, bucket: bucket, from: cursor, prefix: rollup.prefix, limit: limit)
            }
            return VersionListing(page: page)
        }
    }

    /// Where a ListObjectVersions page resumes within `key`: after the row `versionID` names. A
    /// well-formed id names its row even once deleted; for `null`, the key's `null` version.
    /// `nil` (resume after the whole key) when there is nothing to resume after.
    private static func rowID(_ db: Database, bucket: String, key: String, versionID: String) throws -> Int64? {
        if let rowID = ObjectVersionID.rowID(versionID) { return rowID }
        return try fetchVersion(db, bucket: bucket, key: key, versionID: versionID)?.id
    }

    /// Up to `limit` versions from `cursor` on, by key then newest first.
    private static func versions(
        _ db: Database, bucket: String, from cursor: ListCursor<VersionCursor>, prefix: [UInt8], limit: Int
    ) throws -> [VersionSummary] {
        var rows: [VersionSummary] = []
        var keyCursor: ListCursor<[UInt8]>
        switch cursor {
        case .from(let bytes):
            keyCursor = .from(bytes)
        case .after(let position):
            if let rowID = position.rowID {
                // The rest of the marker's key first: one indexed range, then the keys after it.
                rows = try VersionSummaryRow.filter(ObjectRow.Columns.bucket == bucket)
                    .filter(sql: "key = \(MetadataCoding.textFromBytes) AND id < ?", arguments: [MetadataCoding.bytes(position.key), rowID])
                    .order(ObjectRow.Columns.id.desc).limit(limit).fetchAll(db).map(\.version)
            }
            keyCursor = .after(position.key)
        }
        guard rows.count < limit else { return rows }
        let (range, arguments) = keyRange(ObjectRow.Columns.key, keyCursor, prefix: prefix)
        rows += try VersionSummaryRow.filter(ObjectRow.Columns.bucket == bucket).filter(sql: range, arguments: arguments)
            .order(ObjectRow.Columns.key, ObjectRow.Columns.id.desc).limit(limit - rows.count).fetchAll(db).map(\.version)
        return rows
    }

    /// Stores `object` in place of any object at its key, as the bucket's versioning says, and
    /// returns it as stored and the blobs no row refers to any more. Throws `noSuchBucket`, or
    /// `fileAlreadyExists` if the key exists and `forbidOverwrite` is set.
    static func replaceObject(_ db: Database, with object: ObjectRecord, forbidOverwrite: Bool) throws -> (ObjectRecord, [BlobID]) {
        let (stored, replaced) = try storeVersion(db, object, forbidOverwrite: forbidOverwrite)
        return (stored, try unreferenced(db, replaced))
    }

    /// Inserts segment rows, each at its sequence number in the object.
    static func insertSegments(
        _ db: Database, objectID: Int64, _ segments: some Sequence<(offset: Int, element: BlobSegment)>
    ) throws {
        for (sequence, segment) in segments {
            try SegmentRow(objectID: objectID, sequence: sequence, segment: segment).insert(db)
        }
    }
}
