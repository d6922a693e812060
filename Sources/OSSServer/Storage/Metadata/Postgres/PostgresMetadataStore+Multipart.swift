import Foundation
import NIOCore
import PostgresNIO

extension PostgresMetadataStore {
    func createUpload(_ upload: MultipartUpload, forbidOverwrite: Bool) async throws(StorageError) {
        try await write { db in
            try await Self.requireBucket(db, upload.bucket)
            // With versioning on, nothing is overwritten and OSS ignores the header.
            if forbidOverwrite, try await Self.versioning(db, upload.bucket) == nil,
                try await Self.fetchObject(db, bucket: upload.bucket, key: upload.key) != nil
            {
                throw StorageError.fileAlreadyExists(bucket: upload.bucket, key: upload.key)
            }
            let a = PostgresRows.attributeValues(upload.attributes)
            try await db.execute(
                """
                INSERT INTO uploads (\(unescaped: PostgresRows.uploadColumns))
                VALUES (\(upload.uploadID), \(upload.bucket), \(upload.key), \(MetadataCoding.milliseconds(upload.initiated)),
                    \(a.0), \(a.1), \(a.2), \(a.3), \(a.4), \(a.5), \(ObjectChecksums(requested: upload.checksum).column))
                """)
        }
    }

    func upload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> MultipartUpload {
        try await read { db in try await Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID) }
    }

    func putPart(_ part: PartRecord, bucket: String, key: String, uploadID: String) async throws(StorageError)
        -> [BlobID]
    {
        // The whole upload's lock, not the part's: a complete holds it while it turns the parts'
        // blobs into the object's, and a part replaced under it would queue a blob it uses.
        try await write(locking: [Self.lock(upload: uploadID)]) { db in
            _ = try await Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            let replaced = try await db.value(
                "SELECT blob FROM parts WHERE upload_id = \(uploadID) AND part_number = \(part.partNumber)", as: String.self)
            try await Self.claim(db, part.blob)
            try await db.execute(
                """
                INSERT INTO parts (\(unescaped: PostgresRows.partColumns), upload_id)
                VALUES (\(part.partNumber), \(part.size), \(part.etag), \(MetadataCoding.column(part.crc64)),
                    \(MetadataCoding.milliseconds(part.lastModified)), \(part.blob.rawValue),
                    \(part.blocks.map { ByteBuffer(bytes: $0.encoded) }), \(part.checksums.column), \(uploadID))
                ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
                    crc64 = excluded.crc64, last_modified_ms = excluded.last_modified_ms, blob = excluded.blob,
                    blocks = excluded.blocks, damage = NULL, checksums = excluded.checksums
                """)
            return try await Self.unreferenced(db, try replaced.map { [try MetadataCoding.blob($0)] } ?? [])
        }
    }

    func listParts(bucket: String, key: String, uploadID: String, query: PartListQuery) async throws(StorageError)
        -> PartListing
    {
        try await read { db in
            let upload = try await Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            var parts = try await Self.fetchParts(
                db, uploadID: uploadID, after: query.partNumberMarker, limit: max(query.maxParts, 0) + 1)
            let isTruncated = parts.count > query.maxParts
            if isTruncated { parts.removeLast() }
            return PartListing(
                upload: upload, parts: parts, isTruncated: isTruncated, nextPartNumberMarker: parts.last?.partNumber ?? 0)
        }
    }

    func completeUpload(
        bucket: String, key: String, uploadID: String, forbidOverwrite: Bool,
        assemble: @escaping @Sendable (MultipartUpload, [PartRecord]) throws(StorageError) -> ObjectRecord
    ) async throws(StorageError) -> (object: ObjectRecord, released: [BlobID]) {
        try await write(locking: [Self.lock(bucket: bucket, key: key), Self.lock(upload: uploadID)]) { db in
            let upload = try await Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            let parts = try await Self.fetchParts(db, uploadID: uploadID, after: 0, limit: nil)
            let (object, replaced) = try await Self.storeVersion(
                db, try assemble(upload, parts), forbidOverwrite: forbidOverwrite)
            try await db.execute("DELETE FROM uploads WHERE upload_id = \(uploadID)")
            return (object, try await Self.unreferenced(db, parts.map(\.blob) + replaced))
        }
    }

    func abortUpload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> [BlobID] {
        try await write(locking: [Self.lock(upload: uploadID)]) { db in
            _ = try await Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            let parts = try await Self.fetchParts(db, uploadID: uploadID, after: 0, limit: nil)
            try await db.execute("DELETE FROM uploads WHERE upload_id = \(uploadID)")
            return try await Self.unreferenced(db, parts.map(\.blob))
        }
    }

    func listUploads(bucket: String, query: UploadListQuery) async throws(StorageError) -> UploadListing {
        try await read { db in
            try await Self.requireBucket(db, bucket)
            let rollup = KeyRollup(prefix: query.prefix, delimiter: query.delimiter, marker: query.keyMarker)
            let start: ListCursor<UploadPosition> = switch rollup.start {
            case .from(let bytes): .from(bytes)
            case .after(let keyMarker): .after(UploadPosition(key: keyMarker, uploadID: query.uploadIDMarker))
            }
            let page = try await RolledUpPage<MultipartUpload>.collect(
                rollup: rollup, start: start, limit: query.maxUploads,
                key: { Array($0.key.utf8) },
                tail: { UploadPosition(key: Array($0.key.utf8), uploadID: $0.uploadID) }
            ) { cursor, limit in
                try await Self.fetchUploads(db, bucket: bucket, prefix: rollup.prefix, cursor: cursor, limit: limit)
            }
            return UploadListing(page: page)
        }
    }

    // MARK: Rows

    private static func fetchUploads(
        _ db: PostgresTransaction, bucket: String, prefix: [UInt8], cursor: ListCursor<UploadPosition>,
        limit: Int
    ) async throws -> [MultipartUpload] {
        // Within the marker's key, the uploads after the upload id marker; then the keys after it.
        var uploadIDMarker: String?
        let keyCursor: ListCursor<[UInt8]>
        switch cursor {
        case .from(let bytes):
            keyCursor = .from(bytes)
        case .after(let position):
            keyCursor = .after(position.key)
            if !position.key.contains(0) { uploadIDMarker = position.uploadID }
        }
        guard let range = PostgresKeyRange(cursor: keyCursor, prefix: prefix) else { return [] }
        let markerKey = uploadIDMarker.map { _ in range.lower }
        return try await db.rows(
            """
            SELECT \(unescaped: PostgresRows.uploadColumns) FROM uploads
            WHERE bucket = \(bucket)
                AND (key \(unescaped: range.lowerOperator) \(range.lower) OR (key = \(markerKey) AND upload_id > \(uploadIDMarker)))
                AND (\(range.upper)::text IS NULL OR key < \(range.upper))
            ORDER BY key, upload_id LIMIT \(limit)
            """
        ).map(PostgresRows.upload)
    }

    private static func requireUpload(
        _ db: PostgresTransaction, bucket: String, key: String, uploadID: String
    ) async throws -> MultipartUpload {
        guard let row = try await db.row("SELECT \(unescaped: PostgresRows.uploadColumns) FROM uploads WHERE upload_id = \(uploadID)"),
            case let upload = try PostgresRows.upload(row), upload.bucket == bucket, upload.key == key
        else {
            try await requireBucket(db, bucket)
            throw StorageError.noSuchUpload(bucket: bucket, key: key, uploadID: uploadID)
        }
        return upload
    }

    private static func fetchParts(
        _ db: PostgresTransaction, uploadID: String, after marker: Int, limit: Int?
    ) async throws -> [PartRecord] {
        try await db.rows(
            """
            SELECT \(unescaped: PostgresRows.partReadColumns) FROM parts WHERE upload_id = \(uploadID) AND part_number > \(marker)
            ORDER BY part_number LIMIT \(limit)
            """
        ).map(PostgresRows.part)
    }
}
