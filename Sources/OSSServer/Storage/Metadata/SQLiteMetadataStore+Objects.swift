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
                try ObjectRow.deleteOne(db, key: id)
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
                let (range, arguments) = Self.keyRange(ObjectRow.Columns.key, cursor, prefix: rollup.prefix)
                return try ObjectSummaryRow.filter(ObjectRow.Columns.bucket == bucket).filter(sql: range, arguments: arguments)
                    .order(ObjectRow.Columns.key).limit(limit).fetchAll(db).map(\.summary)
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
    ///
    /// Every GET, HEAD and write runs this, so its two statements are prepared once per
    /// connection (`cachedStatement`) rather than per call.
    static func fetchObject(_ db: Database, bucket: String, key: String) throws -> (Int64, ObjectRecord)? {
        let objects = try db.cachedStatement(sql: "SELECT * FROM objects WHERE bucket = ? AND key = ?")
        guard let row = try ObjectRow.fetchOne(objects, arguments: [bucket, key]), let id = row.id else { return nil }
        let segments = try db.cachedStatement(sql: "SELECT * FROM segments WHERE object_id = ? ORDER BY seq")
        return (id, row.record(segments: try SegmentRow.fetchAll(segments, arguments: [id]).map(\.segment)))
    }

    /// Stores `object` in place of any object at its key, and returns the blobs the replaced one
    /// referred to: candidates for ``unreferenced(_:_:)`` once the transaction has done its work.
    /// Throws `fileAlreadyExists` if the key exists and `forbidOverwrite` is set.
    static func replaceObject(_ db: Database, with object: ObjectRecord, forbidOverwrite: Bool) throws -> [BlobID] {
        var replaced: [BlobID] = []
        if let (id, existing) = try fetchObject(db, bucket: object.bucket, key: object.key) {
            guard !forbidOverwrite else { throw StorageError.fileAlreadyExists(bucket: object.bucket, key: object.key) }
            replaced = existing.segments.map(\.blob)
            try ObjectRow.deleteOne(db, key: id)
        }
        try insertObject(db, object)
        return replaced
    }

    /// Inserts a new object row and its segments; the key must not exist.
    static func insertObject(_ db: Database, _ object: ObjectRecord) throws {
        try ObjectRow(object).insert(db)
        try insertSegments(db, objectID: db.lastInsertedRowID, object.segments.enumerated())
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
