import PostgresNIO

/// What the scrubber reads and writes (``MetadataStore``'s scrubbing part).
extension PostgresMetadataStore {
    func scrubTargets(after blob: BlobID?, limit: Int) async throws(StorageError) -> [ScrubTarget] {
        try await read { db in
            // Inline bodies have no blob to read; a blob shared by copies is read once. Parts of
            // unfinished uploads are blobs too.
            func targets(_ rows: [PostgresRandomAccessRow]) throws -> [ScrubTarget] {
                try rows.map { row in
                    ScrubTarget(
                        blob: try MetadataCoding.blob(try row("blob")), size: Int(try row("size", as: Int64.self)),
                        crc64: MetadataCoding.crc(try row("crc64")))
                }
            }
            let after = blob?.rawValue ?? ""
            let objects = try await db.rows(
                """
                SELECT blob, MIN(size) AS size, MIN(crc64) AS crc64 FROM segments
                WHERE data IS NULL AND blob > \(after) GROUP BY blob ORDER BY blob LIMIT \(limit)
                """)
            let parts = try await db.rows(
                "SELECT blob, MIN(size) AS size, MIN(crc64) AS crc64 FROM parts WHERE blob > \(after) GROUP BY blob ORDER BY blob LIMIT \(limit)")
            return ScrubTarget.merged(try targets(objects), try targets(parts), limit: limit)
        }
    }

    func markDamaged(_ blob: BlobID, reason: String) async throws(StorageError) -> [DamagedObject] {
        try await write { db in
            let objects = try await db.rows(
                """
                UPDATE objects SET damage = \(reason) WHERE id IN (SELECT object_id FROM segments WHERE blob = \(blob.rawValue))
                RETURNING bucket, key, version_id
                """
            ).map { row in
                DamagedObject(bucket: try row("bucket"), key: try row("key"), versionID: try row("version_id"), reason: reason)
            }
            let parts = try await db.rows(
                """
                UPDATE parts SET damage = \(reason) FROM uploads
                WHERE parts.blob = \(blob.rawValue) AND uploads.upload_id = parts.upload_id
                RETURNING uploads.bucket, uploads.key, parts.upload_id, parts.part_number
                """
            ).map { row in
                DamagedObject(
                    bucket: try row("bucket"), key: try row("key"), versionID: "", reason: reason,
                    part: .init(uploadID: try row("upload_id"), partNumber: try row("part_number")))
            }
            return objects + parts
        }
    }

    func forgetDamage(bucket: String, key: String) async throws(StorageError) -> Int {
        try await write(locking: [Self.lock(bucket: bucket, key: key)]) { db in
            try await db.execute(
                "UPDATE objects SET damage = NULL WHERE bucket = \(bucket) AND key = \(key) AND damage IS NOT NULL RETURNING 1")
        }
    }

    func damagedObjects(limit: Int) async throws(StorageError) -> [DamagedObject] {
        try await read { db in
            let objects = try await db.rows(
                """
                SELECT bucket, key, version_id, damage FROM objects WHERE damage IS NOT NULL
                ORDER BY bucket, key, id DESC LIMIT \(limit)
                """
            ).map { row in
                DamagedObject(bucket: try row("bucket"), key: try row("key"), versionID: try row("version_id"), reason: try row("damage"))
            }
            let parts = try await db.rows(
                """
                SELECT bucket, key, parts.upload_id, part_number, damage FROM parts
                JOIN uploads ON uploads.upload_id = parts.upload_id WHERE damage IS NOT NULL
                ORDER BY bucket, key, parts.upload_id, part_number LIMIT \(max(0, limit - objects.count))
                """
            ).map { row in
                DamagedObject(
                    bucket: try row("bucket"), key: try row("key"), versionID: "", reason: try row("damage"),
                    part: .init(uploadID: try row("upload_id"), partNumber: try row("part_number")))
            }
            return objects + parts
        }
    }
}
