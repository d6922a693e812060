import PostgresNIO

/// The PostgreSQL schema, as numbered migrations that only ever grow, applied in order and
/// recorded in `schema_migrations`, each in the transaction that records it.
///
/// Tables and columns mean what they mean in ``SQLiteSchema`` (the store of one node), created
/// at its latest shape. Keys, names and ids are `COLLATE "C"`, so that comparisons and `ORDER BY`
/// are byte order, the order OSS lists in, whatever the database's default collation.
enum PostgresSchema {
    static let migrations: [(version: Int, name: String, sql: String)] = [
        (
            1, "buckets, objects and versions, segments, uploads, parts, users, settings",
            """
            CREATE TABLE buckets (
                name TEXT COLLATE "C" PRIMARY KEY,
                created_ms BIGINT NOT NULL,
                acl TEXT NOT NULL,
                storage_class TEXT NOT NULL,
                location TEXT NOT NULL,
                cors TEXT,
                data_redundancy TEXT NOT NULL,
                block_public_access BOOLEAN NOT NULL,
                versioning TEXT,
                lifecycle TEXT,
                owner TEXT NOT NULL
            );
            CREATE INDEX buckets_by_owner ON buckets (owner, name);
            CREATE TABLE objects (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
                key TEXT COLLATE "C" NOT NULL,
                version_id TEXT NOT NULL,
                is_latest BOOLEAN NOT NULL,
                delete_marker BOOLEAN NOT NULL,
                size BIGINT NOT NULL,
                etag TEXT NOT NULL,
                crc64 BIGINT NOT NULL,
                last_modified_ms BIGINT NOT NULL,
                object_type TEXT NOT NULL,
                symlink_target TEXT,
                \(attributeColumns),
                sealed_ms BIGINT,
                restore_ready_ms BIGINT,
                restore_expiry_ms BIGINT
            );
            CREATE UNIQUE INDEX objects_latest ON objects (bucket, key) WHERE is_latest;
            CREATE INDEX objects_by_version ON objects (bucket, key, id DESC);
            CREATE TABLE segments (
                object_id BIGINT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                blob TEXT NOT NULL,
                size BIGINT NOT NULL,
                crc64 BIGINT NOT NULL,
                blocks BYTEA,
                data BYTEA,
                PRIMARY KEY (object_id, seq)
            );
            CREATE INDEX segments_by_blob ON segments (blob);
            CREATE TABLE uploads (
                upload_id TEXT COLLATE "C" PRIMARY KEY,
                bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
                key TEXT COLLATE "C" NOT NULL,
                initiated_ms BIGINT NOT NULL,
                \(attributeColumns)
            );
            CREATE INDEX uploads_by_key_and_id ON uploads (bucket, key, upload_id);
            CREATE TABLE parts (
                upload_id TEXT COLLATE "C" NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
                part_number INTEGER NOT NULL,
                size BIGINT NOT NULL,
                etag TEXT NOT NULL,
                crc64 BIGINT NOT NULL,
                last_modified_ms BIGINT NOT NULL,
                blob TEXT NOT NULL,
                blocks BYTEA,
                PRIMARY KEY (upload_id, part_number)
            );
            CREATE INDEX parts_by_blob ON parts (blob);
            CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE bucket_documents (
                bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
                name TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (bucket, name)
            );
            CREATE TABLE users (
                id TEXT COLLATE "C" PRIMARY KEY,
                name TEXT COLLATE "C" NOT NULL UNIQUE,
                created_ms BIGINT NOT NULL,
                disabled BOOLEAN NOT NULL DEFAULT false
            );
            CREATE TABLE access_keys (
                id TEXT COLLATE "C" PRIMARY KEY,
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                secret TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                active BOOLEAN NOT NULL DEFAULT true
            );
            CREATE INDEX access_keys_by_user ON access_keys (user_id, created_ms);
            CREATE TABLE temporary_credentials (
                id TEXT COLLATE "C" PRIMARY KEY,
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                secret TEXT NOT NULL,
                security_token TEXT NOT NULL,
                expiration_ms BIGINT NOT NULL,
                policy TEXT,
                created_ms BIGINT NOT NULL,
                revoked BOOLEAN NOT NULL DEFAULT false
            );
            CREATE INDEX temporary_credentials_by_expiration ON temporary_credentials (expiration_ms);
            """
        ),
        (
            2, "nodes, pending blobs and the blob deletion queue",
            // A node is one server process; it says it is alive by moving `seen_ms`. A pending
            // blob is one a node is writing: the transaction that first refers to it deletes
            // the row. A queued blob is one no row refers to any more: deleted from the blob
            // store after a grace period, by one node at a time.
            """
            CREATE TABLE nodes (id TEXT COLLATE "C" PRIMARY KEY, started_ms BIGINT NOT NULL, seen_ms BIGINT NOT NULL);
            CREATE TABLE pending_blobs (blob TEXT PRIMARY KEY, node TEXT COLLATE "C" NOT NULL, created_ms BIGINT NOT NULL);
            CREATE INDEX pending_blobs_by_node ON pending_blobs (node);
            CREATE TABLE blob_deletions (blob TEXT PRIMARY KEY, queued_ms BIGINT NOT NULL);
            CREATE INDEX blob_deletions_by_time ON blob_deletions (queued_ms)
            """
        ),
        (
            3, "damage found by the scrubber",
            // Why an object's stored bytes may not be served (ObjectRecord.damage); NULL when whole.
            "ALTER TABLE objects ADD COLUMN damage TEXT"
        ),
        (
            4, "damage of unfinished parts",
            // Why a part's stored bytes may not be completed (PartRecord.damage); NULL when whole.
            "ALTER TABLE parts ADD COLUMN damage TEXT"
        ),
        (
            5, "CRC-64/NVME and S3 checksums",
            // ObjectChecksums.column of objects and parts, and the checksum an upload's Complete
            // computes; NULL for none.
            """
            ALTER TABLE objects ADD COLUMN checksums TEXT;
            ALTER TABLE parts ADD COLUMN checksums TEXT;
            ALTER TABLE uploads ADD COLUMN checksums TEXT
            """
        ),
    ]

    /// As in ``SQLiteSchema``: ``ObjectAttributes`` as columns shared by objects and uploads.
    private static let attributeColumns = """
        content_type TEXT NOT NULL, storage_class TEXT NOT NULL, acl TEXT NOT NULL, \
        user_metadata TEXT NOT NULL, headers TEXT NOT NULL, tags TEXT NOT NULL
        """

    /// Applies the migrations the database lacks. Nodes that start together take turns: the
    /// first to lock `schema_migrations` migrates, the others then find nothing left to do.
    static func migrate(_ transactions: PostgresTransactions) async throws {
        try await transactions.write { transaction in
            try await transaction.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)")
        }
        for migration in migrations {
            try await transactions.write { transaction in
                try await transaction.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                let applied = try await transaction.value(
                    "SELECT count(*) FROM schema_migrations WHERE version = \(migration.version)", as: Int.self) ?? 0
                guard applied == 0 else { return }
                for statement in migration.sql.split(separator: ";\n") {
                    try await transaction.execute(PostgresQuery(unsafeSQL: String(statement)))
                }
                let now = MetadataCoding.milliseconds(.now)
                try await transaction.execute(
                    "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (\(migration.version), \(migration.name), \(now))")
            }
        }
    }
}
