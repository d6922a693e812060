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
        return rows
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

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            try bindings.append(bucket)
            return bindings
        }
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

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            try bindings.append(withSegments)
            try bindings.append(bucket)
            try bindings.append(key)
            return bindings
        }
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

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            try bindings.append(bucket)
            try bindings.append(key)
            return bindings
        }
    }

    /// The transaction advisory locks of `names`, in the order given: ``PostgresTransactions``.
    struct TransactionLocks: PostgresPreparedQuery {
        static let sql = """
            SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/' || name, 0))
            FROM unnest($1::text[]) AS name
            """
        var names: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            try bindings.append(names)
            return bindings
        }
    }
}
