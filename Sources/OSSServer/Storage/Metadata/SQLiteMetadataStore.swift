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

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    init(path: String) throws(StorageError) {
        do {
            pool = try DatabasePool(path: path)
            // Not in `prepareDatabase`: the pool switches its writer to WAL afterwards, and GRDB's
            // WAL set-up lowers `synchronous` to NORMAL, which syncs the WAL only at checkpoints,
            // so a power loss could take back commits already acknowledged. The writer is one
            // long-lived connection, so setting it once here holds for every later commit.
            try pool.barrierWriteWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw Self.storageError(error)
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

    /// A write transaction, rolled back if the closure throws, durable when this returns.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await pool.write(body)
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
            try db.execute(
                sql: "INSERT INTO buckets (name, created_ms, acl, storage_class, location) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    bucket.name, SQLiteCoding.milliseconds(bucket.creationDate), bucket.acl.rawValue, bucket.storageClass.rawValue,
                    bucket.location,
                ]
            )
        }
    }

    func bucket(named name: String) async throws(StorageError) -> BucketRecord {
        try await read { db in try Self.fetchBucket(db, name) }
    }

    func deleteBucket(named name: String) async throws(StorageError) {
        try await write { db in
            try Self.requireBucket(db, name)
            let objects = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM objects WHERE bucket = ?)", arguments: [name]) ?? false
            let uploads = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM uploads WHERE bucket = ?)", arguments: [name]) ?? false
            guard !objects, !uploads else { throw StorageError.bucketNotEmpty(bucket: name) }
            try db.execute(sql: "DELETE FROM buckets WHERE name = ?", arguments: [name])
        }
    }

    func setBucketACL(named name: String, acl: OSSBucketACL) async throws(StorageError) -> BucketRecord {
        try await write { db in
            try db.execute(sql: "UPDATE buckets SET acl = ? WHERE name = ?", arguments: [acl.rawValue, name])
            guard db.changesCount > 0 else { throw StorageError.noSuchBucket(bucket: name) }
            return try Self.fetchBucket(db, name)
        }
    }

    func setBucketCORS(named name: String, cors: String?) async throws(StorageError) -> BucketRecord {
        try await write { db in
            try db.execute(sql: "UPDATE buckets SET cors = ? WHERE name = ?", arguments: [cors, name])
            guard db.changesCount > 0 else { throw StorageError.noSuchBucket(bucket: name) }
            return try Self.fetchBucket(db, name)
        }
    }

    func listBuckets(_ query: BucketListQuery) async throws(StorageError) -> BucketListing {
        try await read { db in
            let rollup = KeyRollup(prefix: query.prefix, delimiter: nil, marker: query.marker)
            let page = try RolledUpPage<BucketRecord>.collect(
                rollup: rollup, start: rollup.start, limit: query.maxKeys,
                key: { Array($0.name.utf8) }, tail: { Array($0.name.utf8) }
            ) { cursor, limit in
                let (range, arguments) = Self.keyRange("name", cursor, prefix: rollup.prefix)
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM buckets WHERE \(range) ORDER BY name LIMIT ?", arguments: arguments + [limit]
                ).map { try Self.bucketRecord($0) }
            }
            let nextMarker: String? = switch page.last {
            case .entry(let bucket) where page.isTruncated: bucket.name
            default: nil
            }
            return BucketListing(buckets: page.entries, isTruncated: page.isTruncated, nextMarker: nextMarker)
        }
    }

    // MARK: Helpers shared by the extensions

    static func bucketExists(_ db: Database, _ name: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM buckets WHERE name = ?)", arguments: [name]) ?? false
    }

    static func requireBucket(_ db: Database, _ name: String) throws {
        guard try bucketExists(db, name) else { throw StorageError.noSuchBucket(bucket: name) }
    }

    /// The SQL condition that keeps `column` at or after `cursor` and under `prefix`.
    static func keyRange(_ column: String, _ cursor: ListCursor<[UInt8]>, prefix: [UInt8]) -> (String, StatementArguments) {
        let (condition, bound) = switch cursor {
        case .from(let bytes): ("\(column) >= \(SQLiteCoding.textFromBytes)", bytes)
        case .after(let bytes): ("\(column) > \(SQLiteCoding.textFromBytes)", bytes)
        }
        let (upper, upperArguments) = prefixBound(column, prefix)
        return (condition + upper, [SQLiteCoding.bytes(bound)] + upperArguments)
    }

    /// ` AND column < successor(prefix)`, or nothing for the empty prefix.
    static func prefixBound(_ column: String, _ prefix: [UInt8]) -> (String, StatementArguments) {
        guard let upper = KeyRollup.successor(of: prefix) else { return ("", []) }
        return (" AND \(column) < \(SQLiteCoding.textFromBytes)", [SQLiteCoding.bytes(upper)])
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
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM buckets WHERE name = ?", arguments: [name]) else {
            throw StorageError.noSuchBucket(bucket: name)
        }
        return try bucketRecord(row)
    }

    private static func bucketRecord(_ row: Row) throws -> BucketRecord {
        BucketRecord(
            name: row["name"], creationDate: SQLiteCoding.date(row["created_ms"]), acl: try SQLiteCoding.acl(row["acl"]),
            storageClass: OSSStorageClass(rawValue: row["storage_class"]), location: row["location"], cors: row["cors"]
        )
    }

    // MARK: Recovery

    func referencedBlobs() async throws(StorageError) -> Set<BlobID> {
        try await read { db in
            let names = try String.fetchAll(db, sql: "SELECT blob FROM segments UNION SELECT blob FROM parts")
            return Set(try names.map(SQLiteCoding.blob))
        }
    }
}
