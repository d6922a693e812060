import PostgresNIO

/// What the scrubber reads and writes (``MetadataStore``'s scrubbing part).
extension PostgresMetadataStore {
    func scrubTargets(after blob: BlobID?, limit: Int) async throws(StorageError) -> [ScrubTarget] {
        try await statement { db in
            // Inline bodies have no blob to read; a blob shared by copies is read once.
            try await db.rows(
                """
                SELECT blob, MIN(size) AS size, MIN(crc64) AS crc64 FROM segments
                WHERE data IS NULL AND blob > \(blob?.rawValue ?? "") GROUP BY blob ORDER BY blob LIMIT \(limit)
                """
            ).map { row in
                ScrubTarget(
                    blob: try MetadataCoding.blob(try row("blob")), size: Int(try row("size", as: Int64.self)),
                    crc64: MetadataCoding.crc(try row("crc64")))
            }
        }
    }

    func markDamaged(_ blob: BlobID, reason: String) async throws(StorageError) -> [DamagedObject] {
        try await write { db in
            try await db.rows(
                """
                UPDATE objects SET damage = \(reason) WHERE id IN (SELECT object_id FROM segments WHERE blob = \(blob.rawValue))
                RETURNING bucket, key, version_id
                """
            ).map { row in
                DamagedObject(bucket: try row("bucket"), key: try row("key"), versionID: try row("version_id"), reason: reason)
            }
        }
    }

    func forgetDamage(bucket: String, key: String) async throws(StorageError) -> Int {
        try await write(locking: [Self.lock(bucket: bucket, key: key)]) { db in
            try await db.execute(
                "UPDATE objects SET damage = NULL WHERE bucket = \(bucket) AND key = \(key) AND damage IS NOT NULL RETURNING 1")
        }
    }

    func damagedObjects(limit: Int) async throws(StorageError) -> [DamagedObject] {
        try await statement { db in
            try await db.rows(
                """
                SELECT bucket, key, version_id, damage FROM objects WHERE damage IS NOT NULL
                ORDER BY bucket, key, id DESC LIMIT \(limit)
                """
            ).map { row in
                DamagedObject(bucket: try row("bucket"), key: try row("key"), versionID: try row("version_id"), reason: try row("damage"))
            }
        }
    }
}
