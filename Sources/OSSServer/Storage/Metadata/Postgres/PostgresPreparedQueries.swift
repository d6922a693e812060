import NIOCore
import PostgresNIO

/// A statement nearly every request runs, prepared once per connection instead of parsed and
/// planned for each call: parsing and planning were two fifths of PostgreSQL's CPU in a 4 KiB
/// PUT load, most of it on these few statements. Rows come back as the store's other queries
/// give them, so that the same decoders read both.
protocol PostgresPreparedQuery: PostgresPreparedStatement where Row == PostgresRandomAccessRow {}

extension PostgresPreparedQuery {
    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

extension PostgresTransaction {
    /// Every row the prepared statement returns.
    func rows<Query: PostgresPreparedQuery>(_ query: Query) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.execute(query, logger: logger) { rows.append(row) }
        answers?.answered()
        return rows
    }
}

extension PostgresBindings {
    /// `$1`, `$2`, … bound to `values`, in order.
    init(_ values: any PostgresThrowingDynamicTypeEncodable...) throws {
        self.init()
        for value in values { try append(value) }
    }
}

/// The prepared statements of the store.
enum PostgresPreparedQueries {
    /// A bucket's record once per document it has (once with none): ``RequestBucketReads``.
    struct BucketAndDocuments: PostgresPreparedQuery {
        static let sql = """
            SELECT \(PostgresRows.qualifiedBucketColumns), bucket_documents.name AS document_name, bucket_documents.document
            FROM buckets LEFT JOIN bucket_documents ON bucket_documents.bucket = buckets.name
            WHERE buckets.name = $1
            """
        var bucket: String

        func makeBindings() throws -> PostgresBindings { try PostgresBindings(bucket) }
    }

    /// The latest version of a key joined with its segments (none unless `withSegments`): GET
    /// and HEAD.
    struct LatestJoined: PostgresPreparedQuery {
        static let sql = """
            SELECT \(PostgresRows.objectColumns), \(PostgresRows.joinedSegmentColumns)
            FROM objects LEFT JOIN segments ON segments.object_id = objects.id AND $1
            WHERE objects.bucket = $2 AND objects.key = $3 AND objects.is_latest
            ORDER BY segments.seq
            """
        var withSegments: Bool
        var bucket: String
        var key: String

        func makeBindings() throws -> PostgresBindings { try PostgresBindings(withSegments, bucket, key) }
    }

    /// The bucket's versioning with the key's latest version, if any: every write of a key.
    struct VersioningAndLatest: PostgresPreparedQuery {
        static let sql = """
            SELECT buckets.versioning AS bucket_versioning, \(PostgresRows.objectColumns)
            FROM buckets LEFT JOIN objects ON objects.bucket = buckets.name AND objects.key = $2 AND objects.is_latest
            WHERE buckets.name = $1
            """
        var bucket: String
        var key: String

        func makeBindings() throws -> PostgresBindings { try PostgresBindings(bucket, key) }
    }

    /// The transaction advisory locks of `names`, in the order given: ``PostgresTransactions``.
    struct TransactionLocks: PostgresPreparedQuery {
        static let sql = """
            SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/' || name, 0))
            FROM unnest($1::text[]) AS name
            """
        var names: [String]

        func makeBindings() throws -> PostgresBindings { try PostgresBindings(names) }
    }

    /// A new latest object row with its segments (at least one): every PUT.
    struct InsertObject: PostgresPreparedQuery {
        static let sql = """
            WITH inserted AS (
                INSERT INTO objects (bucket, key, version_id, is_latest, delete_marker, size, etag, crc64, last_modified_ms,
                    object_type, symlink_target, \(PostgresRows.attributeColumns), sealed_ms, restore_ready_ms, restore_expiry_ms,
                    checksums)
                VALUES ($1, $2, $3, true, false, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $27)
                RETURNING id
            ), segment_rows AS (
                INSERT INTO segments (object_id, seq, blob, size, crc64, blocks, data)
                SELECT inserted.id, s.seq, s.blob, s.size, s.crc64, CASE WHEN s.has_blocks THEN s.blocks END,
                    CASE WHEN s.has_data THEN s.data END
                FROM inserted, unnest($19::int[], $20::text[], $21::bigint[], $22::bigint[], $23::bytea[], $24::bool[],
                    $25::bytea[], $26::bool[]) AS s(seq, blob, size, crc64, blocks, has_blocks, data, has_data)
            )
            SELECT id FROM inserted
            """
        var object: ObjectRecord

        func makeBindings() throws -> PostgresBindings {
            let a = PostgresRows.attributeValues(object.attributes)
            let c = SegmentColumns(object.segments.enumerated())
            var bindings = PostgresBindings()
            try bindings.append(object.bucket)
            try bindings.append(object.key)
            try bindings.append(object.versionID ?? ObjectVersionID.null)
            try bindings.append(Int64(object.size))
            try bindings.append(object.etag)
            try bindings.append(MetadataCoding.column(object.crc64))
            try bindings.append(MetadataCoding.milliseconds(object.lastModified))
            try bindings.append(object.type.rawValue)
            try bindings.append(object.symlinkTarget)
            for value in [a.0, a.1, a.2, a.3, a.4, a.5] { try bindings.append(value) }
            try bindings.append(object.sealedTime.map(MetadataCoding.milliseconds))
            try bindings.append(object.restore.map { MetadataCoding.milliseconds($0.readyTime) })
            try bindings.append(object.restore.map { MetadataCoding.milliseconds($0.expiryTime) })
            try bindings.append(c.sequence)
            try bindings.append(c.blob)
            try bindings.append(c.size)
            try bindings.append(c.crc64)
            try bindings.append(c.blocks)
            try bindings.append(c.hasBlocks)
            try bindings.append(c.data)
            try bindings.append(c.hasData)
            try bindings.append(object.checksums.column)
            return bindings
        }
    }
}

/// Segments as one array per column, so that one statement inserts any number of them
/// (`unnest`). PostgresNIO encodes no array with NULLs, so the optional columns come with
/// a flag each.
struct SegmentColumns {
    var sequence: [Int64] = []
    var blob: [String] = []
    var size: [Int64] = []
    var crc64: [Int64] = []
    var blocks: [ByteBuffer] = []
    var hasBlocks: [Bool] = []
    var data: [ByteBuffer] = []
    var hasData: [Bool] = []

    init(_ segments: some Sequence<(offset: Int, element: BlobSegment)>) {
        for (index, segment) in segments {
            sequence.append(Int64(index))
            blob.append(segment.blob.rawValue)
            size.append(Int64(segment.size))
            crc64.append(MetadataCoding.column(segment.crc64))
            blocks.append(segment.blocks.map { ByteBuffer(bytes: $0.encoded) } ?? ByteBuffer())
            hasBlocks.append(segment.blocks != nil)
            data.append(segment.inline ?? ByteBuffer())
            hasData.append(segment.inline != nil)
        }
    }
}
