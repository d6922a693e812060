import Foundation
import Logging
import OSSProtocol
import PostgresNIO

/// The ``MetadataStore`` on PostgreSQL: the metadata of any number of nodes that serve the same
/// buckets (`oss serve --metadata postgres://…`).
///
/// It keeps every rule the SQLite store keeps, the same way: each mutation is one transaction that
/// locks what it decides on (a key, an upload, a bucket), reads those rows and writes the outcome,
/// so that two nodes racing on one key, upload or append position behave as two writers of one
/// SQLite database do (one after the other; the second sees what the first left, or fails with
/// the error that gives). ``PostgresTransactions`` states the isolation rules. The
/// versioning rules and the blob accounting are those of ``SQLiteMetadataStore``, written for an
/// asynchronous connection. Commits are durable when they return (`synchronous_commit` on, the
/// server's default; ``open(_:logger:)`` refuses a server that has it off).
struct PostgresMetadataStore: MetadataStore {
    let transactions: PostgresTransactions

    /// Nodes share this store: what one of them caches may change behind it.
    var isShared: Bool { true }

    /// Connects, checks the server keeps commits durable, and migrates the schema.
    static func open(
        _ settings: OSSMetadataBackend.Postgres, timings: StorageTimings = StorageTimings(), logger: Logger
    ) async throws(StorageError) -> PostgresMetadataStore {
        let transactions = PostgresTransactions(
            configurations: settings.endpoints.map(settings.clientConfiguration), deadline: settings.deadline,
            answerLimit: settings.answerLimit, timings: timings, logger: logger)
        let store = PostgresMetadataStore(transactions: transactions)
        try await store.run { () async throws in
            let durable = try await transactions.read { transaction in
                try await transaction.value("SELECT current_setting('synchronous_commit') <> 'off' AND current_setting('fsync') = 'on'", as: Bool.self)
            }
            guard durable == true else {
                throw StorageError.metadata(
                    detail: "the PostgreSQL server runs with synchronous_commit = off or fsync = off: acknowledged writes could be lost; turn them on")
            }
            if let schema = settings.schema {
                // Checked to be a plain lower-case identifier (``OSSMetadataBackend/Postgres``).
                try await transactions.write { db in try await db.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)")) }
            }
            try await PostgresSchema.migrate(transactions)
        }
        return store
    }

    /// Runs `body`, turning what it throws into a ``StorageError``.
    func run<T>(_ body: () async throws -> T) async throws(StorageError) -> T {
        do {
            return try await body()
        } catch let error as StorageError {
            throw error
        } catch {
            throw .metadata(detail: PostgresTransactions.describe(error))
        }
    }

    /// One statement, outside any transaction (``PostgresTransactions/Kind/statement``).
    func statement<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws(StorageError) -> T {
        try await run { try await transactions.statement(body) }
    }

    /// A read-only snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws(StorageError) -> T {
        try await run { try await transactions.read(body) }
    }

    /// A write transaction, durable when this returns; `locking` as
    /// ``PostgresTransactions/write(locking:_:)``, built with ``lock(bucket:key:)`` and its kin:
    /// a transaction that names locks must name everything it reads to decide and changes.
    func write<T: Sendable>(
        locking: [String] = [], _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws(StorageError) -> T {
        try await run { try await transactions.write(locking: locking, body) }
    }

    /// The lock of a key, for writes that change it.
    static func lock(bucket: String, key: String) -> String { "object/\(bucket)/\(key)" }

    /// The lock of an upload, for writes that change it.
    static func lock(upload: String) -> String { "upload/\(upload)" }

    /// The lock of a bucket's record.
    static func lock(bucket: String) -> String { "bucket/\(bucket)" }

    // MARK: Buckets

    func createBucket(_ bucket: BucketRecord) async throws(StorageError) {
        try await write(locking: [Self.lock(bucket: bucket.name)]) { db in
            guard try await !Self.bucketExists(db, bucket.name) else {
                throw StorageError.bucketAlreadyExists(bucket: bucket.name)
            }
            try await Self.insertBucket(db, bucket)
        }
    }

    func bucket(named name: String) async throws(StorageError) -> BucketRecord {
        try await statement { db in try await Self.fetchBucket(db, name) }
    }

    func bucketAndDocuments(named name: String) async throws(StorageError) -> BucketAndDocuments {
        // One statement: the bucket's row once per document it has (or once with none).
        try await statement { db in
            let rows = try await db.rows(PostgresPreparedQueries.BucketAndDocuments(bucket: name))
            guard let first = rows.first else { throw StorageError.noSuchBucket(bucket: name) }
            var documents: [BucketDocument: String] = [:]
            for row in rows {
                guard let kind = try row("document_name", as: String?.self).flatMap(BucketDocument.init(rawValue:)) else { continue }
                documents[kind] = try row("document", as: String.self)
            }
            return BucketAndDocuments(record: try PostgresRows.bucket(first), documents: documents)
        }
    }

    func deleteBucket(named name: String) async throws(StorageError) {
        try await write(locking: [Self.lock(bucket: name)]) { db in
            try await Self.requireBucket(db, name)
            let used = try await db.value(
                """
                SELECT EXISTS (SELECT 1 FROM objects WHERE bucket = \(name)) OR EXISTS (SELECT 1 FROM uploads WHERE bucket = \(name))
                """, as: Bool.self)
            guard used == false else { throw StorageError.bucketNotEmpty(bucket: name) }
            try await db.execute("DELETE FROM buckets WHERE name = \(name)")
        }
    }

    func updateBucket(named name: String, update: @escaping @Sendable (BucketRecord) -> BucketRecord)
        async throws(StorageError) -> BucketRecord
    {
        try await write(locking: [Self.lock(bucket: name)]) { db in
            let current = try await Self.fetchBucket(db, name)
            let updated = update(current)
            guard updated.name == current.name, updated.creationDate == current.creationDate else {
                throw StorageError.metadata(detail: "a bucket update must keep the name and creation date of '\(name)'")
            }
            try await db.execute(
                """
                UPDATE buckets SET acl = \(updated.acl.rawValue), storage_class = \(updated.storageClass.rawValue),
                    location = \(updated.location), cors = \(updated.cors), data_redundancy = \(updated.dataRedundancy.rawValue),
                    block_public_access = \(updated.blocksPublicAccess), versioning = \(updated.versioning?.rawValue),
                    lifecycle = \(updated.lifecycle), owner = \(updated.owner)
                WHERE name = \(name)
                """)
            return updated
        }
    }

    func listBuckets(_ query: BucketListQuery) async throws(StorageError) -> BucketListing {
        try await read { db in
            let rollup = KeyRollup(prefix: query.prefix, delimiter: nil, marker: query.marker)
            let page = try await RolledUpPage<BucketRecord>.collect(
                rollup: rollup, start: rollup.start, limit: query.maxKeys,
                key: { Array($0.name.utf8) }, tail: { Array($0.name.utf8) }
            ) { cursor, limit in
                guard let range = PostgresKeyRange(cursor: cursor, prefix: rollup.prefix) else { return [] }
                return try await db.rows(
                    """
                    SELECT \(unescaped: PostgresRows.bucketColumns) FROM buckets
                    WHERE (\(query.owner)::text IS NULL OR owner = \(query.owner))
                        AND name \(unescaped: range.lowerOperator) \(range.lower) AND (\(range.upper)::text IS NULL OR name < \(range.upper))
                    ORDER BY name LIMIT \(limit)
                    """
                ).map(PostgresRows.bucket)
            }
            return BucketListing(page: page)
        }
    }

    // MARK: Helpers shared by the extensions

    static func bucketExists(_ db: PostgresTransaction, _ name: String) async throws -> Bool {
        try await db.value("SELECT EXISTS (SELECT 1 FROM buckets WHERE name = \(name))", as: Bool.self) ?? false
    }

    static func requireBucket(_ db: PostgresTransaction, _ name: String) async throws {
        guard try await bucketExists(db, name) else { throw StorageError.noSuchBucket(bucket: name) }
    }

    static func fetchBucket(_ db: PostgresTransaction, _ name: String) async throws -> BucketRecord {
        guard let row = try await db.row("SELECT \(unescaped: PostgresRows.bucketColumns) FROM buckets WHERE name = \(name)")
        else { throw StorageError.noSuchBucket(bucket: name) }
        return try PostgresRows.bucket(row)
    }

    private static func insertBucket(_ db: PostgresTransaction, _ bucket: BucketRecord) async throws {
        try await db.execute(
            """
            INSERT INTO buckets (\(unescaped: PostgresRows.bucketColumns)) VALUES (
                \(bucket.name), \(MetadataCoding.milliseconds(bucket.creationDate)), \(bucket.acl.rawValue),
                \(bucket.storageClass.rawValue), \(bucket.location), \(bucket.cors), \(bucket.dataRedundancy.rawValue),
                \(bucket.blocksPublicAccess), \(bucket.versioning?.rawValue), \(bucket.lifecycle), \(bucket.owner))
            """)
    }

    /// Of `candidates`, the blobs that no segment (of any object) and no part refers to any more;
    /// as ``SQLiteMetadataStore/unreferenced(_:_:)``, inside the transaction that dropped them,
    /// which also queues them for deletion (``SharedMetadataStore``).
    ///
    /// Each candidate's lock is taken first, in a statement of its own: two transactions that
    /// drop the last two references to one blob then look in turn, and under `READ COMMITTED`
    /// the second sees the first's commit, so one of them queues it. Without the locks each
    /// would see the other's reference and the blob would stay forever.
    static func unreferenced(_ db: PostgresTransaction, _ candidates: [BlobID]) async throws -> [BlobID] {
        guard !candidates.isEmpty else { return [] }
        let names = Set(candidates).map(\.rawValue).sorted()
        try await db.execute(
            """
            SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/blob/' || candidate, 0))
            FROM (SELECT unnest(\(names)::text[]) AS candidate ORDER BY 1) AS sorted
            """)
        let now = MetadataCoding.milliseconds(.now)
        return try await db.rows(
            """
            INSERT INTO blob_deletions (blob, queued_ms)
            SELECT candidate, \(now) FROM unnest(\(names)::text[]) AS candidate
            WHERE NOT EXISTS (SELECT 1 FROM segments WHERE blob = candidate)
                AND NOT EXISTS (SELECT 1 FROM parts WHERE blob = candidate)
            ON CONFLICT (blob) DO NOTHING
            RETURNING blob
            """
        ).map { try MetadataCoding.blob(try $0("blob")) }.sorted()
    }

    // MARK: Documents and settings

    func bucketDocument(bucket: String, _ kind: BucketDocument) async throws(StorageError) -> String? {
        // Read by nearly every request of a bucket on a node that caches nothing: one statement.
        try await statement { db in
            guard
                let row = try await db.row(
                    """
                    SELECT (SELECT document FROM bucket_documents WHERE bucket = \(bucket) AND name = \(kind.rawValue)) AS document,
                        EXISTS (SELECT 1 FROM buckets WHERE name = \(bucket)) AS bucket_exists
                    """),
                try row("bucket_exists", as: Bool.self)
            else { throw StorageError.noSuchBucket(bucket: bucket) }
            return try row("document", as: String?.self)
        }
    }

    func setBucketDocument(bucket: String, _ kind: BucketDocument, to document: String?) async throws(StorageError) {
        try await write { db in
            try await Self.requireBucket(db, bucket)
            if let document {
                try await db.execute(
                    """
                    INSERT INTO bucket_documents (bucket, name, document) VALUES (\(bucket), \(kind.rawValue), \(document))
                    ON CONFLICT (bucket, name) DO UPDATE SET document = excluded.document
                    """)
            } else {
                try await db.execute("DELETE FROM bucket_documents WHERE bucket = \(bucket) AND name = \(kind.rawValue)")
            }
        }
    }

    func setting(_ name: String) async throws(StorageError) -> String? {
        try await statement { db in try await db.value("SELECT value FROM settings WHERE name = \(name)", as: String.self) }
    }

    func setSetting(_ name: String, to value: String?) async throws(StorageError) {
        try await write { db in
            if let value {
                try await db.execute(
                    "INSERT INTO settings (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            } else {
                try await db.execute("DELETE FROM settings WHERE name = \(name)")
            }
        }
    }

    func bucketStatistics(named name: String) async throws(StorageError) -> BucketStatistics {
        try await read { db in
            let bucket = try await Self.fetchBucket(db, name)
            var statistics = BucketStatistics(lastModified: bucket.creationDate)
            var latest: Int64 = 0
            let minimum = Int64(BucketStatistics.minimumBilledSize)
            for row in try await db.rows(
                """
                SELECT storage_class, count(*) AS count, COALESCE(sum(size), 0)::bigint AS bytes,
                    COALESCE(sum(GREATEST(size, \(minimum))), 0)::bigint AS billed, max(last_modified_ms) AS latest
                FROM objects WHERE bucket = \(name) AND NOT delete_marker GROUP BY storage_class
                """)
            {
                let storageClass = OSSStorageClass(rawValue: try row("storage_class"))
                let bytes: Int64 = try row("bytes")
                let billed: Int64 = storageClass == .standard ? bytes : try row("billed")
                statistics.classes[storageClass] = BucketStatistics.ClassUsage(
                    objectCount: try row("count"), realStorage: bytes, billedStorage: billed)
                latest = max(latest, try row("latest", as: Int64?.self) ?? 0)
            }
            statistics.deleteMarkerCount =
                try await db.value("SELECT count(*) FROM objects WHERE bucket = \(name) AND delete_marker", as: Int.self) ?? 0
            if let uploads = try await db.row(
                "SELECT count(*) AS count, max(initiated_ms) AS latest FROM uploads WHERE bucket = \(name)")
            {
                statistics.multipartUploadCount = try uploads("count")
                latest = max(latest, try uploads("latest", as: Int64?.self) ?? 0)
            }
            if let parts = try await db.row(
                """
                SELECT count(*) AS count, COALESCE(sum(parts.size), 0)::bigint AS bytes, max(parts.last_modified_ms) AS latest
                FROM parts JOIN uploads ON parts.upload_id = uploads.upload_id WHERE uploads.bucket = \(name)
                """)
            {
                statistics.multipartPartCount = try parts("count")
                statistics.multipartStorage = try parts("bytes")
                latest = max(latest, try parts("latest", as: Int64?.self) ?? 0)
            }
            if latest > 0 { statistics.lastModified = MetadataCoding.date(latest) }
            return statistics
        }
    }

    // MARK: Recovery

    func referencedBlobs() async throws(StorageError) -> Set<BlobID> {
        try await read { db in
            let rows = try await db.rows("SELECT blob FROM segments UNION SELECT blob FROM parts")
            return Set(try rows.map { try MetadataCoding.blob(try $0("blob")) })
        }
    }
}

/// A key range of a listing as bound values PostgreSQL takes: text with no NUL.
///
/// Keys never hold NUL (``OSSNames/problem(withKey:)``), but markers and prefixes come from
/// query strings. A bound with NUL at byte `i` orders like its first `i` bytes followed by
/// U+0001 for every key that can exist, and no key starts with a prefix that holds NUL.
struct PostgresKeyRange: Sendable {
    /// `>=` or `>`.
    var lowerOperator: String
    var lower: String
    /// Keys are below it; `nil` for no bound.
    var upper: String?

    /// `nil` when no key can lie in the range (a prefix with NUL).
    init?(cursor: ListCursor<[UInt8]>, prefix: [UInt8]) {
        guard !prefix.contains(0) else { return nil }
        let (bytes, inclusive) = switch cursor {
        case .from(let bytes): (bytes, true)
        case .after(let bytes): (bytes, false)
        }
        if let nul = bytes.firstIndex(of: 0) {
            lowerOperator = ">="
            lower = String(decoding: bytes[..<nul] + [1], as: UTF8.self)
        } else {
            lowerOperator = inclusive ? ">=" : ">"
            lower = String(decoding: bytes, as: UTF8.self)
        }
        upper = KeyRollup.successor(of: prefix).map { String(decoding: $0, as: UTF8.self) }
    }
}
