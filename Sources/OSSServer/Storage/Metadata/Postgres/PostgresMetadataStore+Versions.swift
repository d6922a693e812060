import Foundation
import NIOCore
import OSSProtocol
import PostgresNIO

/// The rules of versioning (see ``SQLiteMetadataStore``'s extension of the same name) on
/// PostgreSQL: a key's rows are its versions, the newest flagged `is_latest`, and what a write or
/// delete does depends on the bucket's versioning, read in the same transaction.
extension PostgresMetadataStore {
    // MARK: Reading versions

    /// The bucket's versioning state. Throws `noSuchBucket`.
    static func versioning(_ db: PostgresTransaction, _ bucket: String) async throws -> OSSVersioningStatus? {
        guard let row = try await db.row("SELECT versioning FROM buckets WHERE name = \(bucket)") else {
            throw StorageError.noSuchBucket(bucket: bucket)
        }
        return try row("versioning", as: String?.self).map { try MetadataCoding.value($0, "versioning status") }
    }

    /// The bucket's versioning and the key's latest version (possibly a delete marker, without
    /// its segments) in one statement: what every write of a key reads first. Throws
    /// `noSuchBucket`.
    static func versioningAndLatest(
        _ db: PostgresTransaction, bucket: String, key: String
    ) async throws -> (versioning: OSSVersioningStatus?, latest: StoredVersion?) {
        guard let row = try await db.rows(PostgresPreparedQueries.VersioningAndLatest(bucket: bucket, key: key)).first
        else { throw StorageError.noSuchBucket(bucket: bucket) }
        let versioning: OSSVersioningStatus? = try row("bucket_versioning", as: String?.self).map {
            try MetadataCoding.value($0, "versioning status")
        }
        guard row["id"].bytes != nil else { return (versioning, nil) }
        return (versioning, try PostgresRows.version(row, segments: []))
    }

    /// The latest version of the key (possibly a delete marker), or `nil` when it has none.
    static func fetchLatest(
        _ db: PostgresTransaction, bucket: String, key: String, withSegments: Bool = true
    ) async throws -> StoredVersion? {
        try await stored(
            db,
            "SELECT \(unescaped: PostgresRows.objectColumns) FROM objects WHERE bucket = \(bucket) AND key = \(key) AND is_latest",
            withSegments: withSegments)
    }

    /// ``fetchLatest(_:bucket:key:withSegments:)`` in one statement (the object joined with its
    /// segments), which needs no transaction around it: what GET and HEAD read first.
    static func fetchLatestJoined(
        _ db: PostgresTransaction, bucket: String, key: String, withSegments: Bool
    ) async throws -> StoredVersion? {
        let rows = try await db.rows(PostgresPreparedQueries.LatestJoined(withSegments: withSegments, bucket: bucket, key: key))
        guard let first = rows.first else { return nil }
        let segments = try rows.filter { $0["segment_blob"].bytes != nil }.map { try PostgresRows.segment($0, prefix: "segment_") }
        return try PostgresRows.version(first, segments: segments)
    }

    /// The version of the key with this id (`null` included), or `nil` when there is none or the
    /// id is malformed.
    static func fetchVersion(
        _ db: PostgresTransaction, bucket: String, key: String, versionID: String, withSegments: Bool = true
    ) async throws -> StoredVersion? {
        if let rowID = ObjectVersionID.rowID(versionID) {
            return try await stored(
                db,
                """
                SELECT \(unescaped: PostgresRows.objectColumns) FROM objects
                WHERE id = \(rowID) AND bucket = \(bucket) AND key = \(key) AND version_id = \(versionID)
                """,
                withSegments: withSegments)
        }
        guard versionID == ObjectVersionID.null else { return nil }
        return try await stored(
            db,
            """
            SELECT \(unescaped: PostgresRows.objectColumns) FROM objects
            WHERE bucket = \(bucket) AND key = \(key) AND version_id = 'null'
            """,
            withSegments: withSegments)
    }

    /// The latest object of the key, `nil` when it has none or its latest version is a delete marker.
    static func fetchObject(_ db: PostgresTransaction, bucket: String, key: String) async throws -> StoredVersion? {
        guard let latest = try await fetchLatest(db, bucket: bucket, key: key), !latest.isDeleteMarker else { return nil }
        return latest
    }

    /// The object a read addresses, with the errors of ``SQLiteMetadataStore/addressedObject(_:bucket:key:versionID:withSegments:)``.
    static func addressedObject(
        _ db: PostgresTransaction, bucket: String, key: String, versionID: String?, withSegments: Bool = true
    ) async throws -> StoredVersion {
        guard let versionID else {
            guard let latest = try await fetchLatest(db, bucket: bucket, key: key, withSegments: withSegments) else {
                try await requireBucket(db, bucket)
                throw StorageError.noSuchKey(bucket: bucket, key: key)
            }
            guard !latest.isDeleteMarker else {
                throw StorageError.deleteMarker(
                    bucket: bucket, key: key, versionID: latest.record.versionID ?? ObjectVersionID.null, addressed: false)
            }
            return latest
        }
        guard let version = try await fetchVersion(db, bucket: bucket, key: key, versionID: versionID, withSegments: withSegments)
        else {
            try await requireBucket(db, bucket)
            guard ObjectVersionID.isWellFormed(versionID) else { throw StorageError.invalidVersionID(versionID) }
            throw StorageError.noSuchVersion(bucket: bucket, key: key, versionID: versionID)
        }
        guard !version.isDeleteMarker else {
            throw StorageError.deleteMarker(bucket: bucket, key: key, versionID: versionID, addressed: true)
        }
        return version
    }

    /// The first row `query` selects, with its segments unless `withSegments` is false.
    private static func stored(_ db: PostgresTransaction, _ query: PostgresQuery, withSegments: Bool) async throws -> StoredVersion? {
        guard let row = try await db.row(query) else { return nil }
        let id: Int64 = try row("id")
        var segments: [BlobSegment] = []
        if withSegments, try !row("delete_marker", as: Bool.self) {
            segments = try await db.rows(
                "SELECT \(unescaped: PostgresRows.segmentColumns) FROM segments WHERE object_id = \(id) ORDER BY seq"
            ).map { try PostgresRows.segment($0) }
        }
        return try PostgresRows.version(row, segments: segments)
    }

    // MARK: Writing versions

    /// As ``SQLiteMetadataStore/storeVersion(_:_:forbidOverwrite:)``.
    static func storeVersion(
        _ db: PostgresTransaction, _ object: ObjectRecord, forbidOverwrite: Bool
    ) async throws -> (ObjectRecord, [BlobID]) {
        let (versioning, latest) = try await versioningAndLatest(db, bucket: object.bucket, key: object.key)
        // Before any row goes: a copy onto itself refers to the blobs of the version it replaces.
        try await claim(db, object.segments)
        var released: [BlobID] = []
        if let latest {
            if versioning == nil {
                guard !forbidOverwrite else { throw StorageError.fileAlreadyExists(bucket: object.bucket, key: object.key) }
                released += try await deleteRow(db, latest)
            } else {
                try await demote(db, latest.id)
            }
        }
        if versioning == .suspended { released += try await deleteNullVersion(db, bucket: object.bucket, key: object.key) }
        var stored = object
        stored.versionID = versioning == nil ? nil : ObjectVersionID.null
        let id = try await insertObject(db, stored)
        if versioning == .enabled { stored.versionID = try await nameVersion(db, id) }
        return (stored, released)
    }

    /// As ``SQLiteMetadataStore/delete(_:bucket:_:time:)``.
    static func delete(
        _ db: PostgresTransaction, bucket: String, _ deletion: ObjectDeletion, time: Date
    ) async throws -> (DeletionOutcome, [BlobID]) {
        let key = deletion.key
        if let versionID = deletion.versionID {
            guard let version = try await fetchVersion(db, bucket: bucket, key: key, versionID: versionID, withSegments: false)
            else {
                try await requireBucket(db, bucket)
                guard ObjectVersionID.isWellFormed(versionID) else { throw StorageError.invalidVersionID(versionID) }
                return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: false), [])
            }
            if deletion.onlyIfNoncurrent, version.isLatest {
                return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: false, applied: false), [])
            }
            let released = try await deleteRow(db, version)
            if version.isLatest { try await promoteNewest(db, bucket: bucket, key: key) }
            return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: version.isDeleteMarker), released)
        }
        let (versioning, latest) = try await versioningAndLatest(db, bucket: bucket, key: key)
        if let stamp = deletion.onlyIfLatest {
            guard let latest, !latest.isDeleteMarker, latest.record.lastModified == stamp.lastModified,
                latest.record.etag == stamp.etag
            else {
                return (DeletionOutcome(key: key, versionID: nil, deleteMarker: false, applied: false), [])
            }
        }
        guard let versioning else {
            var released: [BlobID] = []
            if let latest { released = try await deleteRow(db, latest) }
            return (DeletionOutcome(key: key, versionID: nil, deleteMarker: false), released)
        }
        if let latest { try await demote(db, latest.id) }
        var released: [BlobID] = []
        if versioning == .suspended { released = try await deleteNullVersion(db, bucket: bucket, key: key) }
        let marker = ObjectRecord(
            bucket: bucket, key: key, size: 0, etag: "", crc64: 0, lastModified: time, type: .normal,
            attributes: ObjectAttributes(), segments: [], versionID: ObjectVersionID.null)
        let id = try await insertRow(db, marker, isDeleteMarker: true)
        let versionID = versioning == .enabled ? try await nameVersion(db, id) : ObjectVersionID.null
        return (DeletionOutcome(key: key, versionID: versionID, deleteMarker: true), released)
    }

    /// Inserts a new object row, latest, and its segments in one statement; returns its row id.
    @discardableResult
    static func insertObject(_ db: PostgresTransaction, _ object: ObjectRecord) async throws -> Int64 {
        guard !object.segments.isEmpty else { return try await insertRow(db, object, isDeleteMarker: false) }
        guard let row = try await db.rows(PostgresPreparedQueries.InsertObject(object: object)).first else {
            throw StorageError.metadata(detail: "an insert into objects returned no id")
        }
        return try row("id", as: Int64.self)
    }

    /// Inserts the object row (latest) of `object` and returns its id.
    private static func insertRow(_ db: PostgresTransaction, _ object: ObjectRecord, isDeleteMarker: Bool) async throws -> Int64 {
        let a = PostgresRows.attributeValues(object.attributes)
        let restoreReady = object.restore.map { MetadataCoding.milliseconds($0.readyTime) }
        let restoreExpiry = object.restore.map { MetadataCoding.milliseconds($0.expiryTime) }
        guard
            let id = try await db.value(
                """
                INSERT INTO objects (bucket, key, version_id, is_latest, delete_marker, size, etag, crc64, last_modified_ms,
                    object_type, symlink_target, \(unescaped: PostgresRows.attributeColumns), sealed_ms, restore_ready_ms, restore_expiry_ms,
                    damage, checksums)
                VALUES (\(object.bucket), \(object.key), \(object.versionID ?? ObjectVersionID.null), true, \(isDeleteMarker),
                    \(object.size), \(object.etag), \(MetadataCoding.column(object.crc64)),
                    \(MetadataCoding.milliseconds(object.lastModified)), \(object.type.rawValue), \(object.symlinkTarget),
                    \(a.0), \(a.1), \(a.2), \(a.3), \(a.4), \(a.5), \(object.sealedTime.map(MetadataCoding.milliseconds)),
                    \(restoreReady), \(restoreExpiry), \(object.damage), \(object.checksums.column))
                RETURNING id
                """, as: Int64.self)
        else { throw StorageError.metadata(detail: "an insert into objects returned no id") }
        return id
    }

    /// Rewrites the row `id` from `object` (AppendObject in place): everything but its key,
    /// version and place among the versions.
    static func updateRow(_ db: PostgresTransaction, id: Int64, _ object: ObjectRecord) async throws {
        let a = PostgresRows.attributeValues(object.attributes)
        let restoreReady = object.restore.map { MetadataCoding.milliseconds($0.readyTime) }
        let restoreExpiry = object.restore.map { MetadataCoding.milliseconds($0.expiryTime) }
        try await db.execute(
            """
            UPDATE objects SET size = \(object.size), etag = \(object.etag), crc64 = \(MetadataCoding.column(object.crc64)),
                last_modified_ms = \(MetadataCoding.milliseconds(object.lastModified)), object_type = \(object.type.rawValue),
                symlink_target = \(object.symlinkTarget), content_type = \(a.0), storage_class = \(a.1), acl = \(a.2),
                user_metadata = \(a.3), headers = \(a.4), tags = \(a.5),
                sealed_ms = \(object.sealedTime.map(MetadataCoding.milliseconds)), restore_ready_ms = \(restoreReady),
                restore_expiry_ms = \(restoreExpiry), damage = \(object.damage), checksums = \(object.checksums.column)
            WHERE id = \(id)
            """)
    }

    /// Replaces every attribute column of the row `id`.
    static func updateAttributes(_ db: PostgresTransaction, id: Int64, _ attributes: ObjectAttributes) async throws {
        let a = PostgresRows.attributeValues(attributes)
        try await db.execute(
            """
            UPDATE objects SET content_type = \(a.0), storage_class = \(a.1), acl = \(a.2), user_metadata = \(a.3),
                headers = \(a.4), tags = \(a.5)
            WHERE id = \(id)
            """)
    }

    /// Inserts segment rows, each at its sequence number in the object, in one statement
    /// however many there are (a Complete of 10,000 parts is one round trip).
    static func insertSegments(
        _ db: PostgresTransaction, objectID: Int64, _ segments: some Sequence<(offset: Int, element: BlobSegment)>
    ) async throws {
        let c = SegmentColumns(segments)
        guard !c.sequence.isEmpty else { return }
        try await db.execute(
            """
            INSERT INTO segments (object_id, seq, blob, size, crc64, blocks, data)
            SELECT \(objectID), s.seq, s.blob, s.size, s.crc64, CASE WHEN s.has_blocks THEN s.blocks END,
                CASE WHEN s.has_data THEN s.data END
            FROM unnest(\(c.sequence)::int[], \(c.blob)::text[], \(c.size)::bigint[], \(c.crc64)::bigint[],
                \(c.blocks)::bytea[], \(c.hasBlocks)::bool[], \(c.data)::bytea[], \(c.hasData)::bool[])
                AS s(seq, blob, size, crc64, blocks, has_blocks, data, has_data)
            """)
    }

    private static func nameVersion(_ db: PostgresTransaction, _ id: Int64) async throws -> String {
        let versionID = ObjectVersionID.make(rowID: id)
        try await db.execute("UPDATE objects SET version_id = \(versionID) WHERE id = \(id)")
        return versionID
    }

    private static func demote(_ db: PostgresTransaction, _ id: Int64) async throws {
        try await db.execute("UPDATE objects SET is_latest = false WHERE id = \(id)")
    }

    private static func promoteNewest(_ db: PostgresTransaction, bucket: String, key: String) async throws {
        try await db.execute(
            """
            UPDATE objects SET is_latest = true WHERE id =
                (SELECT id FROM objects WHERE bucket = \(bucket) AND key = \(key) ORDER BY id DESC LIMIT 1)
            """)
    }

    /// Deletes the row (its segments go with it) and returns the blob files it referred to.
    private static func deleteRow(_ db: PostgresTransaction, _ version: StoredVersion) async throws -> [BlobID] {
        let blobs = try await db.rows("SELECT blob FROM segments WHERE object_id = \(version.id) AND data IS NULL")
            .map { try MetadataCoding.blob(try $0("blob")) }
        try await db.execute("DELETE FROM objects WHERE id = \(version.id)")
        return blobs
    }

    private static func deleteNullVersion(_ db: PostgresTransaction, bucket: String, key: String) async throws -> [BlobID] {
        guard
            let version = try await fetchVersion(
                db, bucket: bucket, key: key, versionID: ObjectVersionID.null, withSegments: false)
        else { return [] }
        return try await deleteRow(db, version)
    }
}
