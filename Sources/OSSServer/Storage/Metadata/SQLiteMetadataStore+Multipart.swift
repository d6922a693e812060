import Foundation
import GRDB

extension SQLiteMetadataStore {
    func createUpload(_ upload: MultipartUpload, forbidOverwrite: Bool) async throws(StorageError) {
        try await write { db in
            try Self.requireBucket(db, upload.bucket)
            // With versioning on, nothing is overwritten and OSS ignores the header.
            if forbidOverwrite, try Self.versioning(db, upload.bucket) == nil,
                try Self.fetchObject(db, bucket: upload.bucket, key: upload.key) != nil
            {
                throw StorageError.fileAlreadyExists(bucket: upload.bucket, key: upload.key)
            }
            try UploadRow(upload).insert(db)
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
            let replaced = try PartRow.fetchOne(
                db, key: [PartRow.Columns.uploadID.name: uploadID, PartRow.Columns.partNumber.name: part.partNumber])
            try PartRow(uploadID: uploadID, part: part).insert(db)
            return try Self.unreferenced(db, replaced.map { [$0.part.blob] } ?? [])
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
            let (object, replaced) = try Self.storeVersion(db, try assemble(upload, parts), forbidOverwrite: forbidOverwrite)
            try UploadRow.deleteOne(db, key: uploadID)
            return (object, try Self.unreferenced(db, parts.map(\.blob) + replaced))
        }
    }

    func abortUpload(bucket: String, key: String, uploadID: String) async throws(StorageError) -> [BlobID] {
        try await write { db in
            _ = try Self.requireUpload(db, bucket: bucket, key: key, uploadID: uploadID)
            let parts = try Self.fetchParts(db, uploadID: uploadID, after: 0, limit: nil)
            try UploadRow.deleteOne(db, key: uploadID)
            return try Self.unreferenced(db, parts.map(\.blob))
        }
    }

    func listUploads(bucket: String, query: UploadListQuery) async throws(StorageError) -> UploadListing {
        try await read { db in
            try Self.requireBucket(db, bucket)
            let rollup = KeyRollup(prefix: query.prefix, delimiter: query.delimiter, marker: query.keyMarker)
            let start: ListCursor<UploadPosition> = switch rollup.start {
            case .from(let bytes): .from(bytes)
            case .after(let keyMarker): .after(UploadPosition(key: keyMarker, uploadID: query.uploadIDMarker))
            }
            let page = try RolledUpPage<MultipartUpload>.collect(
                rollup: rollup, start: start, limit: query.maxUploads,
                key: { Array($0.key.utf8) },
                tail: { UploadPosition(key: Array($0.key.utf8), uploadID: $0.uploadID) }
            ) { cursor, limit in
                try Self.fetchUploads(db, bucket: bucket, rollup: rollup, cursor: cursor, limit: limit)
            }
            return UploadListing(page: page)
        }
    }

    // MARK: Rows

    private static func fetchUploads(
        _ db: Database, bucket: String, rollup: KeyRollup, cursor: ListCursor<UploadPosition>, limit: Int
    ) throws -> [MultipartUpload] {
        let (keyColumn, idColumn) = (UploadRow.Columns.key.name, UploadRow.Columns.uploadID.name)
        let text = MetadataCoding.textFromBytes
        var sql: String
        var arguments: StatementArguments
        switch cursor {
        case .from(let bytes):
            sql = "\(keyColumn) >= \(text)"
            arguments = [MetadataCoding.bytes(bytes)]
        case .after(let position):
            if let uploadID = position.uploadID {
                sql = "(\(keyColumn) > \(text) OR (\(keyColumn) = \(text) AND \(idColumn) > ?))"
                arguments = [MetadataCoding.bytes(position.key), MetadataCoding.bytes(position.key), uploadID]
            } else {
                sql = "\(keyColumn) > \(text)"
                arguments = [MetadataCoding.bytes(position.key)]
            }
        }
        let (upper, upperArguments) = prefixBound(UploadRow.Columns.key, rollup.prefix)
        sql += upper
        arguments += upperArguments
        return try UploadRow.filter(UploadRow.Columns.bucket == bucket).filter(sql: sql, arguments: arguments)
            .order(UploadRow.Columns.key, UploadRow.Columns.uploadID)
            .limit(limit).fetchAll(db).map(\.upload)
    }

    private static func requireUpload(_ db: Database, bucket: String, key: String, uploadID: String) throws
        -> MultipartUpload
    {
        guard let row = try UploadRow.fetchOne(db, key: uploadID), row.upload.bucket == bucket, row.upload.key == key
        else {
            try requireBucket(db, bucket)
            throw StorageError.noSuchUpload(bucket: bucket, key: key, uploadID: uploadID)
        }
        return row.upload
    }

    private static func fetchParts(_ db: Database, uploadID: String, after marker: Int, limit: Int?) throws
        -> [PartRecord]
    {
        var parts = PartRow.filter(PartRow.Columns.uploadID == uploadID && PartRow.Columns.partNumber > marker)
            .order(PartRow.Columns.partNumber)
        if let limit { parts = parts.limit(limit) }
        return try parts.fetchAll(db).map(\.part)
    }
}
