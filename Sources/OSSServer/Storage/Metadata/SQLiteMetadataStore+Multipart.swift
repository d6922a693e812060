import Foundation
import GRDB

extension SQLiteMetadataStore {
    func createUpload(_ upload: MultipartUpload) async throws(StorageError) {
        try await write { db in
            try Self.requireBucket(db, upload.bucket)
            try db.execute(
                sql: """
                    INSERT INTO uploads (upload_id, bucket, key, initiated_ms, \(SQLiteCoding.attributeColumnNames))
                    VALUES (?, ?, ?, ?, \(SQLiteCoding.attributePlaceholders))
                    """,
                arguments: [upload.uploadID, upload.bucket, upload.key, SQLiteCoding.milliseconds(upload.initiated)]
                    + SQLiteCoding.arguments(upload.attributes)
            )
        }
    }

    func upload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> MultipartUpload {
        try await read { db in try Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID) }
    }

    func putPart(_ part: PartRecord, bucket: String, key: String, uploadID: String) async throws(StorageError)
        -> [BlobID]
    {
        try await write { db in
            _ = try Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            let replaced = try String.fetchOne(
                db, sql: "SELECT blob FROM parts WHERE upload_id = ? AND part_number = ?",
                arguments: [uploadID, part.partNumber])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO parts (upload_id, part_number, size, etag, crc64, last_modified_ms, blob, blocks)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    uploadID, part.partNumber, part.size, part.etag, SQLiteCoding.column(part.crc64),
                    SQLiteCoding.milliseconds(part.lastModified), part.blob.rawValue, part.blocks?.encoded,
                ]
            )
            return try Self.unreferenced(db, try replaced.map { [try SQLiteCoding.blob($0)] } ?? [])
        }
    }

    func listParts(bucket: String, key: String, uploadID: String, query: PartListQuery) async throws(StorageError)
        -> PartListing
    {
        try await read { db in
            let upload = try Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            var parts = try Self.fetchParts(
                db, uploadID: uploadID, after: query.partNumberMarker, limit: max(query.maxParts, 0) + 1)
            let isTruncated = parts.count > query.maxParts
            if isTruncated { parts.removeLast() }
            return PartListing(
                upload: upload, parts: parts, isTruncated: isTruncated,
                nextPartNumberMarker: parts.last?.partNumber ?? 0
            )
        }
    }

    func completeUpload(
        bucket: String, key: String, uploadID: String, forbidOverwrite: Bool,
        assemble: @escaping @Sendable (MultipartUpload, [PartRecord]) throws(StorageError) -> ObjectRecord
    ) async throws(StorageError) -> (object: ObjectRecord, released: [BlobID]) {
        try await write { db in
            let upload = try Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            let parts = try Self.fetchParts(db, uploadID: uploadID, after: 0, limit: nil)
            let object = try assemble(upload, parts)
            let replaced = try Self.replaceObject(db, with: object, forbidOverwrite: forbidOverwrite)
            try db.execute(sql: "DELETE FROM uploads WHERE upload_id = ?", arguments: [uploadID])
            return (object, try Self.unreferenced(db, parts.map(\.blob) + replaced))
        }
    }

    func abortUpload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> [BlobID] {
        try await write { db in
            _ = try Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            let parts = try Self.fetchParts(db, uploadID: uploadID, after: 0, limit: nil)
            try db.execute(sql: "DELETE FROM uploads WHERE upload_id = ?", arguments: [uploadID])
            return try Self.unreferenced(db, parts.map(\.blob))
        }
    }

    func listUploads(bucket: String, query: UploadListQuery) async throws(StorageError) -> UploadListing {
        try await read { db in
            try Self.requireBucket(db, bucket)
            let rollup = KeyRollup(prefix: query.prefix, delimiter: query.delimiter, marker: query.keyMarker)
            let start: ListCursor<UploadPosition> = switch rollup.start {
            case .from(let bytes): .from(bytes)
            case .after(let keyMarker): .after(try Self.markerPosition(db, bucket, keyMarker, query.uploadIDMarker))
            }
            let page = try RolledUpPage<MultipartUpload>.collect(
                rollup: rollup, start: start, limit: query.maxUploads,
                key: { Array($0.key.utf8) },
                tail: { UploadPosition(key: Array($0.key.utf8), initiated: $0.initiated, uploadID: $0.uploadID) }
            ) { cursor, limit in
                try Self.fetchUploads(db, bucket: bucket, rollup: rollup, cursor: cursor, limit: limit)
            }
            var listing = UploadListing(
                uploads: page.entries, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated,
                nextKeyMarker: "", nextUploadIDMarker: "")
            switch page.last {
            case .entry(let upload) where page.isTruncated:
                listing.nextKeyMarker = upload.key
                listing.nextUploadIDMarker = upload.uploadID
            case .commonPrefix(let prefix) where page.isTruncated:
                listing.nextKeyMarker = prefix
            default:
                break
            }
            return listing
        }
    }

    // MARK: Rows

    /// A sort position among uploads: key, then initiation time, then id. Without a time and id it
    /// stands after every upload of `key`.
    struct UploadPosition: Sendable {
        var key: [UInt8]
        var initiated: Date?
        var uploadID: String?
    }

    private static func markerPosition(_ db: Database, _ bucket: String, _ keyMarker: [UInt8], _ uploadIDMarker: String?)
        throws -> UploadPosition
    {
        let key = String(decoding: keyMarker, as: UTF8.self)
        guard let uploadIDMarker,
              let milliseconds = try Int64.fetchOne(
                  db, sql: "SELECT initiated_ms FROM uploads WHERE bucket = ? AND key = ? AND upload_id = ?",
                  arguments: [bucket, key, uploadIDMarker])
        else { return UploadPosition(key: keyMarker) }
        return UploadPosition(key: keyMarker, initiated: SQLiteCoding.date(milliseconds), uploadID: uploadIDMarker)
    }

    private static func fetchUploads(
        _ db: Database, bucket: String, rollup: KeyRollup, cursor: ListCursor<UploadPosition>, limit: Int
    ) throws -> [MultipartUpload] {
        var sql = "SELECT * FROM uploads WHERE bucket = ? AND "
        var arguments: StatementArguments = [bucket]
        let text = SQLiteCoding.textFromBytes
        switch cursor {
        case .from(let bytes):
            sql += "key >= \(text)"
            arguments += [SQLiteCoding.bytes(bytes)]
        case .after(let position):
            if let initiated = position.initiated, let uploadID = position.uploadID {
                sql += "(key > \(text) OR (key = \(text) AND (initiated_ms, upload_id) > (?, ?)))"
                arguments += [
                    SQLiteCoding.bytes(position.key), SQLiteCoding.bytes(position.key),
                    SQLiteCoding.milliseconds(initiated), uploadID,
                ]
            } else {
                sql += "key > \(text)"
                arguments += [SQLiteCoding.bytes(position.key)]
            }
        }
        let (upper, upperArguments) = prefixBound("key", rollup.prefix)
        sql += upper
        arguments += upperArguments
        sql += " ORDER BY key, initiated_ms, upload_id LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(uploadRecord)
    }

    private static func requireUpload(_ db: Database, bucket: String, key: String, uploadID: String) throws
        -> MultipartUpload
    {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM uploads WHERE upload_id = ? AND bucket = ? AND key = ?",
            arguments: [uploadID, bucket, key])
        else {
            try requireBucket(db, bucket)
            throw StorageError.noSuchUpload(bucket: bucket, key: key, uploadID: uploadID)
        }
        return try uploadRecord(row)
    }

    private static func uploadRecord(_ row: Row) throws -> MultipartUpload {
        MultipartUpload(
            bucket: row["bucket"], key: row["key"], uploadID: row["upload_id"],
            initiated: SQLiteCoding.date(row["initiated_ms"]), attributes: try SQLiteCoding.attributes(row)
        )
    }

    private static func fetchParts(_ db: Database, uploadID: String, after marker: Int, limit: Int?) throws
        -> [PartRecord]
    {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?",
            arguments: [uploadID, marker, limit ?? -1]
        ).map { row in
            PartRecord(
                partNumber: row["part_number"], size: row["size"], etag: row["etag"],
                crc64: SQLiteCoding.crc(row["crc64"]), lastModified: SQLiteCoding.date(row["last_modified_ms"]),
                blob: try SQLiteCoding.blob(row["blob"]), blocks: try SQLiteCoding.blocks(row["blocks"])
            )
        }
    }
}
