import GRDB

/// The SQLite schema, as a chain of migrations that only ever grows.
///
/// Tags, ACL and symlink target are columns of every object, and an object's bytes are a list of
/// segments: AppendObject adds a segment row, and CopyObject inserts segment rows naming the
/// source's blobs (a blob is deleted only when no segment or part refers to it any more, which
/// `segments_by_blob` and `parts_by_blob` answer).
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: buckets, objects, segments, uploads, parts") { db in
            // Times are Unix milliseconds, CRCs the UInt64 bit pattern, keys compare by UTF-8 bytes
            // (SQLite's BINARY collation), which is the order OSS lists in.
            try db.execute(sql: """
                CREATE TABLE buckets (
                    name TEXT PRIMARY KEY NOT NULL,
                    created_ms INTEGER NOT NULL,
                    acl TEXT NOT NULL,
                    storage_class TEXT NOT NULL,
                    location TEXT NOT NULL
                );
                CREATE TABLE objects (
                    id INTEGER PRIMARY KEY,
                    bucket TEXT NOT NULL REFERENCES buckets(name),
                    key TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    etag TEXT NOT NULL,
                    crc64 INTEGER NOT NULL,
                    last_modified_ms INTEGER NOT NULL,
                    object_type TEXT NOT NULL,
                    symlink_target TEXT,
                    \(attributeColumns),
                    UNIQUE (bucket, key)
                );
                CREATE TABLE segments (
                    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    blob TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    crc64 INTEGER NOT NULL,
                    PRIMARY KEY (object_id, seq)
                ) WITHOUT ROWID;
                CREATE INDEX segments_by_blob ON segments(blob);
                CREATE TABLE uploads (
                    upload_id TEXT PRIMARY KEY NOT NULL,
                    bucket TEXT NOT NULL REFERENCES buckets(name),
                    key TEXT NOT NULL,
                    initiated_ms INTEGER NOT NULL,
                    \(attributeColumns)
                );
                CREATE INDEX uploads_in_order ON uploads(bucket, key, initiated_ms, upload_id);
                CREATE TABLE parts (
                    upload_id TEXT NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE,
                    part_number INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    etag TEXT NOT NULL,
                    crc64 INTEGER NOT NULL,
                    last_modified_ms INTEGER NOT NULL,
                    blob TEXT NOT NULL,
                    PRIMARY KEY (upload_id, part_number)
                ) WITHOUT ROWID;
                CREATE INDEX parts_by_blob ON parts(blob);
                """)
        }
        migrator.registerMigration("v2: bucket CORS rules") { db in
            // The CORSConfiguration document as PutBucketCors stored it; NULL when there is none.
            try db.execute(sql: "ALTER TABLE buckets ADD COLUMN cors TEXT")
        }
        migrator.registerMigration("v3: block checksums of segments and parts") { db in
            // BlockChecksums.encoded; NULL for a single-block blob and for blobs written before v3,
            // which readers verify whole.
            try db.execute(sql: """
                ALTER TABLE segments ADD COLUMN blocks BLOB;
                ALTER TABLE parts ADD COLUMN blocks BLOB;
                """)
        }
        migrator.registerMigration("v4: uploads listed by key then upload id") { db in
            // OSS lists the uploads of one key by UploadId, and pages by it (upload-id-marker).
            try db.execute(sql: """
                DROP INDEX uploads_in_order;
                CREATE INDEX uploads_by_key_and_id ON uploads(bucket, key, upload_id);
                """)
        }
        migrator.registerMigration("v5: bucket redundancy type and Block Public Access") { db in
            try db.execute(sql: """
                ALTER TABLE buckets ADD COLUMN data_redundancy TEXT NOT NULL DEFAULT 'LRS';
                ALTER TABLE buckets ADD COLUMN block_public_access INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v6: sealed appendable objects") { db in
            // SealAppendObject's first seal, Unix milliseconds; NULL for every unsealed object.
            try db.execute(sql: "ALTER TABLE objects ADD COLUMN sealed_ms INTEGER")
        }
        migrator.registerMigration("v7: restores of archived objects") { db in
            // RestoreObject's window, Unix milliseconds: readable from ready until expiry. NULL
            // for objects never restored.
            try db.execute(sql: """
                ALTER TABLE objects ADD COLUMN restore_ready_ms INTEGER;
                ALTER TABLE objects ADD COLUMN restore_expiry_ms INTEGER;
                """)
        }
        migrator.registerMigration("v8: settings of the whole store") { db in
            // Name → value, such as the account's Block Public Access ("true").
            try db.execute(sql: "CREATE TABLE settings (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
        }
        migrator.registerMigration("v9: object versions and delete markers") { db in
            // A key may now have many rows: its versions and delete markers. The newest (highest
            // id) is the latest, flagged so that reads and listings of current objects use one
            // partial index; AUTOINCREMENT makes ids, and the version ids built from them, never
            // come back after a delete. Rows written before versioning are `null` versions. SQLite
            // cannot drop a UNIQUE constraint, so the table is rebuilt (the migrator defers
            // foreign keys, so segments keep pointing at the same ids).
            let columns = """
                size, etag, crc64, last_modified_ms, object_type, symlink_target, content_type, storage_class, acl, \
                user_metadata, headers, tags, sealed_ms, restore_ready_ms, restore_expiry_ms
                """
            try db.execute(sql: """
                CREATE TABLE objects_v9 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    bucket TEXT NOT NULL REFERENCES buckets(name),
                    key TEXT NOT NULL,
                    version_id TEXT NOT NULL,
                    is_latest INTEGER NOT NULL,
                    delete_marker INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    etag TEXT NOT NULL,
                    crc64 INTEGER NOT NULL,
                    last_modified_ms INTEGER NOT NULL,
                    object_type TEXT NOT NULL,
                    symlink_target TEXT,
                    \(attributeColumns),
                    sealed_ms INTEGER,
                    restore_ready_ms INTEGER,
                    restore_expiry_ms INTEGER
                );
                INSERT INTO objects_v9 (id, bucket, key, version_id, is_latest, delete_marker, \(columns))
                    SELECT id, bucket, key, 'null', 1, 0, \(columns) FROM objects;
                DROP TABLE objects;
                ALTER TABLE objects_v9 RENAME TO objects;
                CREATE UNIQUE INDEX objects_latest ON objects(bucket, key) WHERE is_latest = 1;
                CREATE INDEX objects_by_version ON objects(bucket, key, id DESC);
                ALTER TABLE buckets ADD COLUMN versioning TEXT;
                """)
        }
        migrator.registerMigration("v10: bucket lifecycle rules") { db in
            // The LifecycleConfiguration document as PutBucketLifecycle checked and normalized
            // it; NULL when there is none.
            try db.execute(sql: "ALTER TABLE buckets ADD COLUMN lifecycle TEXT")
        }
        migrator.registerMigration("v11: bucket configuration documents") { db in
            // Configurations kept as their checked XML document, one per bucket and kind
            // (referer, website, logging): name → document. They go with their bucket.
            try db.execute(sql: """
                CREATE TABLE bucket_documents (
                    bucket TEXT NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    document TEXT NOT NULL,
                    PRIMARY KEY (bucket, name)
                ) WITHOUT ROWID
                """)
        }
        migrator.registerMigration("v12: users, access keys and bucket owners") { db in
            // A bucket's owner is a user id; '' marks buckets made before users existed, which
            // the first user takes over when the store is opened (``SQLiteMetadataStore/bootstrapOwner(_:)``).
            try db.execute(sql: """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    created_ms INTEGER NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                CREATE TABLE access_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    secret TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1
                ) WITHOUT ROWID;
                CREATE INDEX access_keys_by_user ON access_keys(user_id, created_ms);
                ALTER TABLE buckets ADD COLUMN owner TEXT NOT NULL DEFAULT '';
                CREATE INDEX buckets_by_owner ON buckets(owner, name);
                """)
        }
        migrator.registerMigration("v13: temporary credentials") { db in
            try db.execute(sql: """
                CREATE TABLE temporary_credentials (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    secret TEXT NOT NULL,
                    security_token TEXT NOT NULL,
                    expiration_ms INTEGER NOT NULL,
                    policy TEXT,
                    created_ms INTEGER NOT NULL,
                    revoked INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                CREATE INDEX temporary_credentials_by_expiration ON temporary_credentials(expiration_ms);
                """)
        }
        migrator.registerMigration("v14: small bodies kept in their segment row") { db in
            // The bytes of a body small enough to live in the database; NULL when they are in a
            // blob file. Copies copy the row, and so the bytes.
            try db.execute(sql: "ALTER TABLE segments ADD COLUMN data BLOB")
        }
        migrator.registerMigration("v15: damage found by the scrubber") { db in
            // Why an object's stored bytes may not be served (ObjectRecord.damage); NULL when whole.
            try db.execute(sql: "ALTER TABLE objects ADD COLUMN damage TEXT")
        }
        migrator.registerMigration("v16: damage of unfinished parts") { db in
            // Why a part's stored bytes may not be completed (PartRecord.damage); NULL when whole.
            try db.execute(sql: "ALTER TABLE parts ADD COLUMN damage TEXT")
        }
        migrator.registerMigration("v17: CRC-64/NVME and S3 checksums") { db in
            // ObjectChecksums.column of objects and parts, and the checksum an upload's Complete
            // computes; NULL for none.
            try db.execute(sql: """
                ALTER TABLE objects ADD COLUMN checksums TEXT;
                ALTER TABLE parts ADD COLUMN checksums TEXT;
                ALTER TABLE uploads ADD COLUMN checksums TEXT
                """)
        }
        return migrator
    }

    /// ``ObjectAttributes`` as columns, shared by objects and uploads. Maps are JSON objects, so
    /// adding a stored header needs no migration.
    private static let attributeColumns = """
        content_type TEXT NOT NULL, storage_class TEXT NOT NULL, acl TEXT NOT NULL, \
        user_metadata TEXT NOT NULL, headers TEXT NOT NULL, tags TEXT NOT NULL
        """
}
