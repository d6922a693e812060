import GRDB

/// What the scrubber reads and writes (``MetadataStore``'s scrubbing part).
extension SQLiteMetadataStore {
    func scrubTargets(after blob: BlobID?, limit: Int) async throws(StorageError) -> [ScrubTarget] {
        try await read { db in
            // Inline bodies have no file; a blob shared by copies is read once (`segments_by_blob`
            // and `parts_by_blob` walk the ids in order). Parts of unfinished uploads are blobs too.
            func targets(_ sql: String) throws -> [ScrubTarget] {
                try Row.fetchAll(db, sql: sql, arguments: [blob?.rawValue ?? "", limit]).map { row in
                    ScrubTarget(blob: try MetadataCoding.blob(row["blob"]), size: row["size"], crc64: MetadataCoding.crc(row["crc64"]))
                }
            }
            return ScrubTarget.merged(
                try targets(
                    """
                    SELECT blob, MIN(size) AS size, MIN(crc64) AS crc64 FROM segments
                    WHERE data IS NULL AND blob > ? GROUP BY blob ORDER BY blob LIMIT ?
                    """),
                try targets("SELECT blob, MIN(size) AS size, MIN(crc64) AS crc64 FROM parts WHERE blob > ? GROUP BY blob ORDER BY blob LIMIT ?"),
                limit: limit)
        }
    }

    func markDamaged(_ blob: BlobID, reason: String) async throws(StorageError) -> [DamagedObject] {
        try await write { db in
            let objects = try Row.fetchAll(
                db,
                sql: """
                    UPDATE objects SET damage = ? WHERE id IN (SELECT object_id FROM segments WHERE blob = ?)
                    RETURNING bucket, key, version_id
                    """,
                arguments: [reason, blob.rawValue]
            ).map { row in DamagedObject(bucket: row["bucket"], key: row["key"], versionID: row["version_id"], reason: reason) }
            try db.execute(sql: "UPDATE parts SET damage = ? WHERE blob = ?", arguments: [reason, blob.rawValue])
            let parts = try Row.fetchAll(
                db,
                sql: """
                    SELECT bucket, key, parts.upload_id AS upload_id, part_number FROM parts
                    JOIN uploads ON uploads.upload_id = parts.upload_id WHERE blob = ?
                    """,
                arguments: [blob.rawValue]
            ).map { row in
                DamagedObject(
                    bucket: row["bucket"], key: row["key"], versionID: "", reason: reason,
                    part: .init(uploadID: row["upload_id"], partNumber: row["part_number"]))
            }
            return objects + parts
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
            let objects = try Row.fetchAll(
                db,
                sql: """
                    SELECT bucket, key, version_id, damage FROM objects WHERE damage IS NOT NULL
                    ORDER BY bucket, key, id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                DamagedObject(bucket: row["bucket"], key: row["key"], versionID: row["version_id"], reason: row["damage"])
            }
            let parts = try Row.fetchAll(
                db,
                sql: """
                    SELECT bucket, key, parts.upload_id AS upload_id, part_number, damage FROM parts
                    JOIN uploads ON uploads.upload_id = parts.upload_id WHERE damage IS NOT NULL
                    ORDER BY bucket, key, parts.upload_id, part_number LIMIT ?
                    """,
                arguments: [max(0, limit - objects.count)]
            ).map { row in
                DamagedObject(
                    bucket: row["bucket"], key: row["key"], versionID: "", reason: row["damage"],
                    part: .init(uploadID: row["upload_id"], partNumber: row["part_number"]))
            }
            return objects + parts
        }
    }
}
