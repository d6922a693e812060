import OSSProtocol
import GRDB

extension SQLiteMetadataStore {
    func object(bucket: String, key: String) async throws(StorageError) -> ObjectRecord {
        try await read { db in
            guard let (_, record) = try Self.fetchObject(db, bucket: bucket, key: key) else {
                try Self.requireBucket(db, bucket)
                throw StorageError.noSuchKey(bucket: bucket, key: key)
            }
            return record
        }
    }

    func putObject(_ object: ObjectRecord, forbidOverwrite: Bool) async throws(StorageError) -> [BlobID] {
        try await write { db in
            try Self.requireBucket(db, object.bucket)
            let replaced = try Self.replaceObject(db, with: object, forbidOverwrite: forbidOverwrite)
            return try Self.unreferenced(db, replaced)
        }
    }

    func deleteObjects(bucket: String, keys: [String]) async throws(StorageError) -> [BlobID] {
        try await write { db in
            try Self.requireBucket(db, bucket)
            var released: [BlobID] = []
            for key in keys {
                guard let (id, existing) = try Self.fetchObject(db, bucket: bucket, key: key) else { continue }
                released += existing.segments.map(\.blob)
                try db.execute(sql: "DELETE FROM objects WHERE id = ?", arguments: [id])
            }
            return try Self.unreferenced(db, released)
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
                let (range, arguments) = Self.keyRange("key", cursor, prefix: rollup.prefix)
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT key, size, etag, crc64, last_modified_ms, object_type, storage_class
                        FROM objects WHERE bucket = ? AND \(range) ORDER BY key LIMIT ?
                        """,
                    arguments: [bucket] + arguments + [limit]
                ).map(Self.summary)
            }
            let nextMarker: String? = switch page.last {
            case .entry(let object) where page.isTruncated: object.key
            case .commonPrefix(let prefix) where page.isTruncated: prefix
            default: nil
            }
            return ObjectListing(
                objects: page.entries, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated,
                nextMarker: nextMarker
            )
        }
    }

    // MARK: Rows

    /// The object's row id and record, or `nil` if the key does not exist.
    static func fetchObject(_ db: Database, bucket: String, key: String) throws -> (Int64, ObjectRecord)? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM objects WHERE bucket = ? AND key = ?", arguments: [bucket, key])
        else { return nil }
        let id: Int64 = row["id"]
        let segments = try Row.fetchAll(
            db, sql: "SELECT blob, size, crc64, blocks FROM segments WHERE object_id = ? ORDER BY seq", arguments: [id]
        ).map { segment in
            BlobSegment(
                blob: try SQLiteCoding.blob(segment["blob"]), size: segment["size"],
                crc64: SQLiteCoding.crc(segment["crc64"]), blocks: try SQLiteCoding.blocks(segment["blocks"]))
        }
        guard let type = OSSObjectType(rawValue: row["object_type"]) else {
            throw StorageError.metadata(detail: "unknown object type in row of '\(bucket)/\(key)'")
        }
        let record = ObjectRecord(
            bucket: bucket, key: key, size: row["size"], etag: row["etag"], crc64: SQLiteCoding.crc(row["crc64"]),
            lastModified: SQLiteCoding.date(row["last_modified_ms"]), type: type,
            attributes: try SQLiteCoding.attributes(row), symlinkTarget: row["symlink_target"], segments: segments
        )
        return (id, record)
    }

    /// Stores `object` in place of any object at its key, and returns the blobs the replaced one
    /// referred to: candidates for ``unreferenced(_:_:)`` once the transaction has done its work.
    /// Throws `fileAlreadyExists` if the key exists and `forbidOverwrite` is set.
    static func replaceObject(_ db: Database, with object: ObjectRecord, forbidOverwrite: Bool) throws -> [BlobID] {
        var replaced: [BlobID] = []
        if let (id, existing) = try fetchObject(db, bucket: object.bucket, key: object.key) {
            guard !forbidOverwrite else { throw StorageError.fileAlreadyExists(bucket: object.bucket, key: object.key) }
            replaced = existing.segments.map(\.blob)
            try db.execute(sql: "DELETE FROM objects WHERE id = ?", arguments: [id])
        }
        try insertObject(db, object)
        return replaced
    }

    /// Inserts a new object row and its segments; the key must not exist.
    static func insertObject(_ db: Database, _ object: ObjectRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO objects (bucket, key, size, etag, crc64, last_modified_ms, object_type, symlink_target,
                    \(SQLiteCoding.attributeColumnNames))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, \(SQLiteCoding.attributePlaceholders))
                """,
            arguments: [
                object.bucket, object.key, object.size, object.etag, SQLiteCoding.column(object.crc64),
                SQLiteCoding.milliseconds(object.lastModified), object.type.rawValue, object.symlinkTarget,
            ] + SQLiteCoding.arguments(object.attributes)
        )
        try insertSegments(db, objectID: db.lastInsertedRowID, object.segments.enumerated())
    }

    /// Inserts segment rows, each at its sequence number in the object.
    static func insertSegments(
        _ db: Database, objectID: Int64, _ segments: some Sequence<(offset: Int, element: BlobSegment)>
    ) throws {
        for (sequence, segment) in segments {
            try db.execute(
                sql: "INSERT INTO segments (object_id, seq, blob, size, crc64, blocks) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    objectID, sequence, segment.blob.rawValue, segment.size, SQLiteCoding.column(segment.crc64),
                    segment.blocks?.encoded,
                ]
            )
        }
    }

    private static func summary(_ row: Row) throws -> ObjectSummary {
        guard let type = OSSObjectType(rawValue: row["object_type"]) else {
            throw StorageError.metadata(detail: "unknown object type in the row of '\(row["key"] as String)'")
        }
        return ObjectSummary(
            key: row["key"], size: row["size"], etag: row["etag"], crc64: SQLiteCoding.crc(row["crc64"]),
            lastModified: SQLiteCoding.date(row["last_modified_ms"]), type: type, storageClass: OSSStorageClass(rawValue: row["storage_class"])
        )
    }
}
