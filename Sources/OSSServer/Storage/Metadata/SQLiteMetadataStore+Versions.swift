import Foundation
import GRDB
import OSSProtocol

/// One stored version of a key, with what the rules of versioning need besides the record.
struct StoredVersion: Sendable {
    /// The row id: versions of a key sort by it, newest last.
    var id: Int64
    /// The object; for a delete marker, only its key, version and Last-Modified mean anything.
    var record: ObjectRecord
    var isLatest: Bool
    var isDeleteMarker: Bool
}

/// The rules of versioning, in one place for every write, read and delete of the store.
///
/// A key's rows are its versions; the newest (highest id) is the latest, flagged `is_latest`.
/// What a write or delete does depends on the bucket's versioning, read in the same transaction:
/// - never on: a key has one row, its `null` version; writes replace it, deletes remove it;
/// - Enabled: a write adds a version with a new id and keeps the one it replaces; a delete
///   without a version id adds a delete marker;
/// - Suspended: a write or delete replaces the `null` version (an object or a delete marker)
///   and keeps every version with an id.
/// A delete naming a version removes that version for good, and the next newest becomes latest.
extension SQLiteMetadataStore {
    // MARK: Reading versions

    /// The bucket's versioning state. Throws `noSuchBucket`.
    static func versioning(_ db: Database, _ bucket: String) throws -> OSSVersioningStatus? {
        let statement = try db.cachedStatement(sql: "SELECT versioning FROM buckets WHERE name = ?")
        guard let row = try Row.fetchOne(statement, arguments: [bucket]) else {
            throw StorageError.noSuchBucket(bucket: bucket)
        }
        return try (row[0] as String?).map { try MetadataCoding.value($0, "versioning status") }
    }

    /// The latest version of the key (possibly a delete marker), or `nil` when it has none.
    ///
    /// Every GET, HEAD and write runs this, so its statements are prepared once per connection.
    static func fetchLatest(_ db: Database, bucket: String, key: String, withSegments: Bool = true) throws -> StoredVersion? {
        let statement = try db.cachedStatement(
            sql: "SELECT objects.*, \(versionedColumn) FROM objects WHERE bucket = ? AND key = ? AND is_latest = 1")
        return try stored(db, statement, arguments: [bucket, key], withSegments: withSegments)
    }

    /// The version of the key with this id (`null` included), or `nil` when there is none or the
    /// id is malformed.
    static func fetchVersion(
        _ db: Database, bucket: String, key: String, versionID: String, withSegments: Bool = true
    ) throws -> StoredVersion? {
        if let rowID = ObjectVersionID.rowID(versionID) {
            let statement = try db.cachedStatement(
                sql: "SELECT objects.*, \(versionedColumn) FROM objects WHERE id = ? AND bucket = ? AND key = ? AND version_id = ?")
            return try stored(db, statement, arguments: [rowID, bucket, key, versionID], withSegments: withSegments)
        }
        guard versionID == ObjectVersionID.null else { return nil }
        let statement = try db.cachedStatement(
            sql: "SELECT objects.*, \(versionedColumn) FROM objects WHERE bucket = ? AND key = ? AND version_id = 'null'")
        return try stored(db, statement, arguments: [bucket, key], withSegments: withSegments)
    }

    /// The latest object of the key, `nil` when it has none or its latest version is a delete
    /// marker: what a write replaces and a symlink resolves to.
    static func fetchObject(_ db: Database, bucket: String, key: String) throws -> StoredVersion? {
        guard let latest = try fetchLatest(db, bucket: bucket, key: key), !latest.isDeleteMarker else { return nil }
        return latest
    }

    /// The object a read addresses: the latest version (`versionID` nil) or the named one.
    ///
    /// Throws `noSuchBucket`, `noSuchKey`, `noSuchVersion`, `invalidArgument` for a version id
    /// this server never hands out, or `deleteMarker` when the version found is one.
    /// `withSegments` false leaves the record's segments empty (see ``stored(_:_:arguments:withSegments:)``).
    static func addressedObject(
        _ db: Database, bucket: String, key: String, versionID: String?, withSegments: Bool = true
    ) throws -> StoredVersion {
        guard let versionID else {
            guard let latest = try fetchLatest(db, bucket: bucket, key: key, withSegments: withSegments) else {
                try requireBucket(db, bucket)
                throw StorageError.noSuchKey(bucket: bucket, key: key)
            }
            guard !latest.isDeleteMarker else {
                throw StorageError.deleteMarker(
                    bucket: bucket, key: key, versionID: latest.record.versionID ?? ObjectVersionID.null, addressed: false)
            }
            return latest
        }
        guard let version = try fetchVersion(db, bucket: bucket, key: key, versionID: versionID, withSegments: withSegments) else {
            try requireBucket(db, bucket)
            guard ObjectVersionID.isWellFormed(versionID) else { throw StorageError.invalidVersionID(versionID) }
            throw StorageError.noSuchVersion(bucket: bucket, key: key, versionID: versionID)
        }
        guard !version.isDeleteMarker else {
            throw StorageError.deleteMarker(bucket: bucket, key: key, versionID: versionID, addressed: true)
        }
        return version
    }

    /// Whether the row's bucket ever had versioning on: then its records name their versions.
    private static let versionedColumn =
        "(SELECT versioning IS NOT NULL FROM buckets WHERE name = objects.bucket) AS versioned"

    /// The first row `statement` selects, with its segments.
    ///
    /// The row is decoded while the statement still holds it: GRDB then finds columns through the
    /// statement's own index, where a copied row (`Row.fetchOne`) compares lowercased names for
    /// every column looked up, which a profile of 4 KiB reads showed.
    ///
    /// `withSegments` false skips the segments (HEAD reports no bytes): their rows carry the
    /// bytes of inline bodies, which SQLite would otherwise read from overflow pages.
    private static func stored(
        _ db: Database, _ statement: Statement, arguments: StatementArguments, withSegments: Bool
    ) throws -> StoredVersion? {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        guard let row = try rows.next() else { return nil }
        let object = try ObjectRow(row: row)
        let versioned: Bool = row["versioned"] ?? false
        guard let id = object.id else { return nil }
        var segments: [BlobSegment] = []
        if withSegments, !object.isDeleteMarker {
            let statement = try db.cachedStatement(sql: "SELECT * FROM segments WHERE object_id = ? ORDER BY seq")
            segments = try SegmentRow.fetchAll(statement, arguments: [id]).map(\.segment)
        }
        return StoredVersion(
            id: id, record: object.record(segments: segments, versioned: versioned), isLatest: object.isLatest,
            isDeleteMarker: object.isDeleteMarker)
    }

    // MARK: Writing versions

    /// Stores `object` as the newest version of its key, as the bucket's versioning says, and
    /// returns it as stored (with its version id) and the blobs the versions it replaced referred
    /// to: candidates for ``unreferenced(_:_:)``.
    ///
    /// `forbidOverwrite` refuses (`fileAlreadyExists`) when the key has a current object and
    /// versioning was never on; with versioning, nothing is overwritten, and OSS ignores it.
    /// Throws `noSuchBucket`.
    static func storeVersion(_ db: Database, _ object: ObjectRecord, forbidOverwrite: Bool) throws -> (ObjectRecord, [BlobID]) {
        let versioning = try versioning(db, object.bucket)
        var released: [BlobID] = []
        if let latest = try fetchLatest(db, bucket: object.bucket, key: object.key, withSegments: false) {
            if versioning == nil {
                guard !forbidOverwrite else { throw StorageError.fileAlreadyExists(bucket: object.bucket, key: object.key) }
                released += try deleteRow(db, latest)
            } else {
                try demote(db, latest.id)
            }
        }
        if versioning == .suspended { released += try deleteNullVersion(db, bucket: object.bucket, key: object.key) }
        var stored = object
        stored.versionID = versioning == nil ? nil : ObjectVersionID.null
        let id = try insertObject(db, stored)
        if versioning == .enabled { stored.versionID = try nameVersion(db, id) }
        return (stored, released)
    }

    /// Deletes as DeleteObject does (see the type's rules) and reports what happened, with the
    /// blobs the removed version referred to. `time` is a new delete marker's Last-Modified.
    /// Throws `noSuchBucket`.
    static func delete(_ db: Database, bucket: String, _ deletion: ObjectDeletion, time: Date) throws
        -> (DeletionOutcome, [BlobID])
    {
        let versioning = try versioning(db, bucket)
        let key = deletion.key
        if let versionID = deletion.versionID {
            guard let version = try fetchVersion(db, bucket: bucket, key: key, versionID: versionID, withSegments: false)
            else {
                guard ObjectVersionID.isWellFormed(versionID) else { throw StorageError.invalidVersionID(versionID) }
                // Already gone: deleting a version is idempotent, as it is on OSS.
                return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: false), [])
            }
            if deletion.onlyIfNoncurrent, version.isLatest {
                return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: false, applied: false), [])
            }
            let released = try deleteRow(db, version)
            if version.isLatest { try promoteNewest(db, bucket: bucket, key: key) }
            return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: version.isDeleteMarker), released)
        }
        let latest = try fetchLatest(db, bucket: bucket, key: key, withSegments: false)
        if let stamp = deletion.onlyIfLatest {
            guard let latest, !latest.isDeleteMarker, latest.record.lastModified == stamp.lastModified,
                latest.record.etag == stamp.etag
            else {
                return (DeletionOutcome(key: key, versionID: nil, deleteMarker: false, applied: false), [])
            }
        }
        guard let versioning else {
            let released = try latest.map { try deleteRow(db, $0) } ?? []
            return (DeletionOutcome(key: key, versionID: nil, deleteMarker: false), released)
        }
        if let latest { try demote(db, latest.id) }
        var released: [BlobID] = []
        if versioning == .suspended { released = try deleteNullVersion(db, bucket: bucket, key: key) }
        let marker = ObjectRecord(
            bucket: bucket, key: key, size: 0, etag: "", crc64: 0, lastModified: time, type: .normal,
            attributes: ObjectAttributes(), segments: [], versionID: ObjectVersionID.null)
        try ObjectRow(marker, isDeleteMarker: true).insert(db)
        let versionID = versioning == .enabled ? try nameVersion(db, db.lastInsertedRowID) : ObjectVersionID.null
        return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: true), released)
    }

    /// Inserts a new object row, latest, and its segments, and returns its row id; the key must
    /// have no latest version any more.
    @discardableResult
    static func insertObject(_ db: Database, _ object: ObjectRecord) throws -> Int64 {
        try ObjectRow(object).insert(db)
        let id = db.lastInsertedRowID
        try insertSegments(db, objectID: id, object.segments.enumerated())
        return id
    }

    /// Gives the row a new version id and returns it.
    private static func nameVersion(_ db: Database, _ id: Int64) throws -> String {
        let versionID = ObjectVersionID.make(rowID: id)
        try db.execute(sql: "UPDATE objects SET version_id = ? WHERE id = ?", arguments: [versionID, id])
        return versionID
    }

    private static func demote(_ db: Database, _ id: Int64) throws {
        try db.execute(sql: "UPDATE objects SET is_latest = 0 WHERE id = ?", arguments: [id])
    }

    /// Makes the newest remaining version of the key its latest.
    private static func promoteNewest(_ db: Database, bucket: String, key: String) throws {
        try db.execute(
            sql: """
                UPDATE objects SET is_latest = 1 WHERE id =
                    (SELECT id FROM objects WHERE bucket = ? AND key = ? ORDER BY id DESC LIMIT 1)
                """,
            arguments: [bucket, key])
    }

    /// Deletes the row (its segments go with it) and returns the blob files it referred to;
    /// inline bytes went with their rows.
    ///
    /// The blob ids come from their own query rather than from the record, so that callers read
    /// the version without its segments: a delete never needs an inline body's bytes.
    private static func deleteRow(_ db: Database, _ version: StoredVersion) throws -> [BlobID] {
        let files = try db.cachedStatement(sql: "SELECT blob FROM segments WHERE object_id = ? AND data IS NULL")
        let blobs = try String.fetchAll(files, arguments: [version.id]).map(MetadataCoding.blob)
        try ObjectRow.deleteOne(db, key: version.id)
        return blobs
    }

    /// Deletes the key's `null` version, if any, and returns the blobs it referred to.
    private static func deleteNullVersion(_ db: Database, bucket: String, key: String) throws -> [BlobID] {
        guard let version = try fetchVersion(db, bucket: bucket, key: key, versionID: ObjectVersionID.null, withSegments: false)
        else { return [] }
        return try deleteRow(db, version)
    }
}
