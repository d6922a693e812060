import Foundation
#if canImport(Glibc)
import GRDB
#endif
import Glibc
import OSSProtocol

/// The ``MetadataStore`` on SQLite through a GRDB `DatabasePool`.
///
/// WAL journaling lets listings and HEADs read while one writer commits; `synchronous = FULL`
/// on the writer connection makes every commit fsync the WAL before it returns, which is what
/// lets the engine acknowledge a write right after its metadata transaction.
struct SQLiteMetadataStore: MetadataStore {
    let pool: DatabasePool
    /// Every write transaction goes through it: concurrent writes share one commit.
    private let commits: GroupCommit

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema;
    /// each commit's duration goes to `timings`.
    init(path: String, timings: StorageTimings = StorageTimings()) throws(StorageError) {
        try Self.restrictToOwner(path)
        do {
            var configuration = Configuration()
            // `oss admin` may write beside a running server: the two wait for each other's
            // short transactions instead of failing a request with SQLITE_BUSY.
            configuration.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: configuration)
            // Not in `prepareDatabase`: the pool switches its writer to WAL afterwards, and GRDB's
            // WAL set-up lowers `synchronous` to NORMAL, which syncs the WAL only at checkpoints,
            // so a power loss could take back commits already acknowledged. The writer is one
            // long-lived connection, so setting it once here holds for every later commit.
            try pool.barrierWriteWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Debian builds SQLite with secure_delete on: every page a delete frees (the
                // overflow pages of an inline body) is zeroed and written to the WAL again,
                // about a third of a small DELETE's writes. FAST still clears deleted rows from
                // the pages a transaction writes anyway; freed pages keep old bytes until
                // reused, as the disk blocks of a deleted blob file do.
                try db.execute(sql: "PRAGMA secure_delete = FAST")
            }
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw Self.storageError(error)
        }
        commits = GroupCommit(pool: pool, timings: timings)
    }

    /// Makes the database readable by the server's user only: it holds the users' secrets.
    /// SQLite gives its `-wal` and `-shm` files the database file's mode; those of a store made
    /// before that rule are fixed too.
    private static func restrictToOwner(_ path: String) throws(StorageError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw .io(operation: "chmod", path: path, errno: errno) }
        for companion in [path + "-wal", path + "-shm"] where chmod(companion, 0o600) != 0 && errno != ENOENT {
            throw .io(operation: "chmod", path: companion, errno: errno)
        }
    }

    /// A read transaction: one consistent snapshot for the whole closure.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storageError(error)
        }
    }

    /// A write transaction, rolled back if the closure throws, durable when this returns; run
    /// together with the writes that arrive meanwhile (``GroupCommit``).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await commits.write(body)
        } catch {
            throw Self.storageError(error)
        }
    }


    private static func storageError(_ error: any Error) -> StorageError {
        if let error = error as? StorageError { return error }
        // A full disk is an I/O condition the engine acts on (it gives up its disk reserve).
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL {
            return .io(operation: "write metadata", path: "metadata.sqlite", errno: ENOSPC)
        }
        return .metadata(detail: String(describing: error))
    }

    // MARK: Buckets

    func createBucket(_ bucket: BucketRecord) async throws(StorageError) {
        try await write { db in
            guard try !Self.bucketExists(db, bucket.name) else {
                throw StorageError.bucketAlreadyExists(bucket: bucket.name)
            }
            try BucketRow(bucket).insert(db)
        }
    }

    func bucket(named name: String) async throws(StorageError) -> BucketRecord {
        try await read { db in try Self.fetchBucket(db, name) }
    }

    func deleteBucket(named name: String) async throws(StorageError) {
        try await write { db in
            try Self.requireBucket(db, name)
            let objects = try ObjectRow.filter(ObjectRow.Columns.bucket == name).isEmpty(db)
            let uploads = try UploadRow.filter(UploadRow.Columns.bucket == name).isEmpty(db)
            guard objects, uploads else { throw StorageError.bucketNotEmpty(bucket: name) }
            try BucketRow.deleteOne(db, key: name)
        }
    }

    func updateBucket(named name: String, update: @escaping @Sendable (BucketRecord) -> BucketRecord)
        async throws(StorageError) -> BucketRecord
    {
        try await write { db in
            let current = try Self.fetchBucket(db, name)
            let updated = update(current)
            guard updated.name == current.name, updated.creationDate == current.creationDate else {
                throw StorageError.metadata(detail: "a bucket update must keep the name and creation date of '\(name)'")
            }
            try BucketRow(updated).update(db)
            return updated
        }
    }

    func listBuckets(_ query: BucketListQuery) async throws(StorageError) -> BucketListing {
        try await read { db in
            let rollup = KeyRollup(prefix: query.prefix, delimiter: nil, marker: query.marker)
            let page = try RolledUpPage<BucketRecord>.collect(
                rollup: rollup, start: rollup.start, limit: query.maxKeys,
                key: { Array($0.name.utf8) }, tail: { Array($0.name.utf8) }
            ) { cursor, limit in
                let (range, arguments) = Self.keyRange(BucketRow.Columns.name, cursor, prefix: rollup.prefix)
                var request = BucketRow.filter(sql: range, arguments: arguments)
                if let owner = query.owner { request = request.filter(BucketRow.Columns.owner == owner) }
                return try request.order(BucketRow.Columns.name).limit(limit).fetchAll(db).map(\.bucket)
            }
            return BucketListing(page: page)
        }
    }

    // MARK: Helpers shared by the extensions

    static func bucketExists(_ db: Database, _ name: String) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM buckets WHERE name = ?)"), arguments: [name]) ?? false
    }

    static func requireBucket(_ db: Database, _ name: String) throws {
        guard try bucketExists(db, name) else { throw StorageError.noSuchBucket(bucket: name) }
    }

    /// The SQL condition that keeps `column` at or after `cursor` and under `prefix`.
    static func keyRange(_ column: Column, _ cursor: ListCursor<[UInt8]>, prefix: [UInt8]) -> (String, StatementArguments) {
        let (condition, bound) = switch cursor {
        case .from(let bytes): ("\(column.name) >= \(MetadataCoding.textFromBytes)", bytes)
        case .after(let bytes): ("\(column.name) > \(MetadataCoding.textFromBytes)", bytes)
        }
        let (upper, upperArguments) = prefixBound(column, prefix)
        return (condition + upper, [MetadataCoding.bytes(bound)] + upperArguments)
    }

    /// ` AND column < successor(prefix)`, or nothing for the empty prefix.
    static func prefixBound(_ column: Column, _ prefix: [UInt8]) -> (String, StatementArguments) {
        guard let upper = KeyRollup.successor(of: prefix) else { return ("", []) }
        return (" AND \(column.name) < \(MetadataCoding.textFromBytes)", [MetadataCoding.bytes(upper)])
    }

    /// Of `candidates`, the blobs that no segment (of any object) and no part refers to any more.
    /// Called inside the transaction that dropped the references, so the answer is exact at
    /// commit; a blob shared by copies survives until the last of them is gone.
    static func unreferenced(_ db: Database, _ candidates: [BlobID]) throws -> [BlobID] {
        try Set(candidates).sorted().filter { blob in
            let used = try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM segments WHERE blob = ?1)
                        OR EXISTS (SELECT 1 FROM parts WHERE blob = ?1)
                    """,
                arguments: [blob.rawValue]
            ) ?? false
            return !used
        }
    }

    private static func fetchBucket(_ db: Database, _ name: String) throws -> BucketRecord {
        let statement = try db.cachedStatement(sql: "SELECT * FROM buckets WHERE name = ?")
        guard let row = try BucketRow.fetchOne(statement, arguments: [name]) else {
            throw StorageError.noSuchBucket(bucket: name)
        }
        return row.bucket
    }

    func bucketDocument(bucket: String, _ kind: BucketDocument) async throws(StorageError) -> String? {
        try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT document FROM bucket_documents WHERE bucket = ? AND name = ?")
            if let document = try String.fetchOne(statement, arguments: [bucket, kind.rawValue]) { return document }
            try Self.requireBucket(db, bucket)
            return nil
        }
    }

    func setBucketDocument(bucket: String, _ kind: BucketDocument, to document: String?) async throws(StorageError) {
        try await write { db in
            try Self.requireBucket(db, bucket)
            if let document {
                try db.execute(
                    sql: """
                        INSERT INTO bucket_documents (bucket, name, document) VALUES (?, ?, ?)
                        ON CONFLICT (bucket, name) DO UPDATE SET document = excluded.document
                        """,
                    arguments: [bucket, kind.rawValue, document])
            } else {
                try db.execute(sql: "DELETE FROM bucket_documents WHERE bucket = ? AND name = ?", arguments: [bucket, kind.rawValue])
            }
        }
    }

    func setting(_ name: String) async throws(StorageError) -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = ?", arguments: [name]) }
    }

    func setSetting(_ name: String, to value: String?) async throws(StorageError) {
        try await write { db in
            if let value {
                try db.execute(
                    sql: "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    arguments: [name, value])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE name = ?", arguments: [name])
            }
        }
    }

    func bucketStatistics(named name: String) async throws(StorageError) -> BucketStatistics {
        try await read { db in
            let bucket = try Self.fetchBucket(db, name)
            var statistics = BucketStatistics(lastModified: bucket.creationDate)
            var latest: Int64 = 0
            let minimum = BucketStatistics.minimumBilledSize
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT storage_class, COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes, COALESCE(SUM(MAX(size, ?)), 0) AS billed,
                        MAX(last_modified_ms) AS latest
                    FROM objects WHERE bucket = ? AND delete_marker = 0 GROUP BY storage_class
                    """,
                arguments: [minimum, name])
            {
                let storageClass = OSSStorageClass(rawValue: row["storage_class"])
                let bytes: Int64 = row["bytes"]
                let billed: Int64 = storageClass == .standard ? bytes : row["billed"]
                statistics.classes[storageClass] = BucketStatistics.ClassUsage(
                    objectCount: row["count"], realStorage: bytes, billedStorage: billed)
                latest = max(latest, row["latest"] ?? 0)
            }
            statistics.deleteMarkerCount = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM objects WHERE bucket = ? AND delete_marker = 1", arguments: [name]) ?? 0
            let uploads = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS count, MAX(initiated_ms) AS latest FROM uploads WHERE bucket = ?",
                arguments: [name])
            statistics.multipartUploadCount = uploads?["count"] ?? 0
            latest = max(latest, uploads?["latest"] ?? 0)
            let parts = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS count, COALESCE(SUM(parts.size), 0) AS bytes, MAX(parts.last_modified_ms) AS latest
                    FROM parts JOIN uploads ON parts.upload_id = uploads.upload_id WHERE uploads.bucket = ?
                    """,
                arguments: [name])
            statistics.multipartPartCount = parts?["count"] ?? 0
            statistics.multipartStorage = parts?["bytes"] ?? 0
            latest = max(latest, parts?["latest"] ?? 0)
            if latest > 0 { statistics.lastModified = MetadataCoding.date(latest) }
            return statistics
        }
    }

    // MARK: Recovery

    func referencedBlobs() async throws(StorageError) -> Set<BlobID> {
        try await read { db in
            let names = try String.fetchAll(db, sql: "SELECT blob FROM segments UNION SELECT blob FROM parts")
            return Set(try names.map(MetadataCoding.blob))
        }
    }
}
