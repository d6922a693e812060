import GRDB

/// What the scrubber reads and writes (``MetadataStore``'s scrubbing part).
extension SQLiteMetadataStore {
    func scrubTargets(after blob: BlobID?, limit: Int) async throws(StorageError) -> [ScrubTarget] {
        try await read { db in
            // Inline bodies have no file; a blob shared by copies is read once (`segments_by_blob`
            // walks the ids in order).
            try Row.fetchAll(
                db,
                sql: """
                    SELECT blob, MIN(size) AS size, MIN(crc64) AS crc64 FROM segments
                    WHERE data IS NULL AND blob > ? GROUP BY blob ORDER BY blob LIMIT ?
                    """,
                arguments: [blob?.rawValue ?? "", limit]
            ).map { row in
                ScrubTarget(blob: try MetadataCoding.blob(row["blob"]), size: row["size"], crc64: MetadataCoding.crc(row["crc64"]))
            }
        }
    }

    func markDamaged(_ blob: BlobID, reason: String) async throws(StorageError) -> [DamagedObject] {
        try await write { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE objects SET damage = ? WHERE id IN (SELECT object_id FROM segments WHERE blob = ?)
                    RETURNING bucket, key, version_id
                    """,
                arguments: [reason, blob.rawValue]
            ).map { row in DamagedObject(bucket: row["bucket"], key: row["key"], versionID: row["version_id"], reason: reason) }
        }
    }

    func forgetDamage(bucket: String, key: String) async throws(StorageError) -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE objects SET damage = NULL WHERE bucket = ? AND key = ? AND damage IS NOT NULL",
                arguments: [bucket, key])
            return db.changesCount
        }
    }

    func damagedObjects(limit: Int) async throws(StorageError) -> [DamagedObject] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT bucket, key, version_id, damage FROM objects WHERE damage IS NOT NULL
                    ORDER BY bucket, key, id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                DamagedObject(bucket: row["bucket"], key: row["key"], versionID: row["version_id"], reason: row["damage"])
            }
        }
    }
}
