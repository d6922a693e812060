import Foundation
import NIOCore
import OSSProtocol
import PostgresNIO

/// The records of the PostgreSQL store decoded from rows and turned into bound values, with the
/// same conversions as the SQLite rows (``MetadataCoding``).
enum PostgresRows {
    // MARK: Column lists

    static let bucketColumns = """
        name, created_ms, acl, storage_class, location, cors, data_redundancy, block_public_access, versioning, \
        lifecycle, owner
        """
    /// ``bucketColumns`` named with their table, for joins with tables that have a `name` too.
    static let qualifiedBucketColumns = bucketColumns.split(separator: ",")
        .map { "buckets." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
    static let attributeColumns = "content_type, storage_class, acl, user_metadata, headers, tags"
    /// An object row, with whether its bucket ever had versioning (`versioned`).
    static let objectColumns = """
        objects.id, objects.bucket, objects.key, objects.version_id, objects.is_latest, objects.delete_marker, \
        objects.size, objects.etag, objects.crc64, objects.last_modified_ms, objects.object_type, objects.symlink_target, \
        objects.content_type, objects.storage_class, objects.acl, objects.user_metadata, objects.headers, objects.tags, \
        objects.sealed_ms, objects.restore_ready_ms, objects.restore_expiry_ms, objects.damage, objects.checksums, \
        (SELECT versioning IS NOT NULL FROM buckets WHERE name = objects.bucket) AS versioned
        """
    /// The segment columns of a join with objects, named apart from the object's.
    static let joinedSegmentColumns = """
        segments.blob AS segment_blob, segments.size AS segment_size, segments.crc64 AS segment_crc64, \
        segments.blocks AS segment_blocks, segments.data AS segment_data
        """
    /// What a listing shows, and only that.
    static let summaryColumns = """
        key, size, etag, crc64, last_modified_ms, object_type, storage_class, restore_ready_ms, restore_expiry_ms
        """
    static let versionColumns = summaryColumns + ", id, version_id, is_latest, delete_marker"
    static let segmentColumns = "blob, size, crc64, blocks, data"
    static let uploadColumns = "upload_id, bucket, key, initiated_ms, " + attributeColumns + ", checksums"
    static let partColumns = "part_number, size, etag, crc64, last_modified_ms, blob, blocks, checksums"
    /// What a part is read with: its columns and the scrubber's mark.
    static let partReadColumns = partColumns + ", damage"

    // MARK: Decoding

    static func bucket(_ row: PostgresRandomAccessRow) throws -> BucketRecord {
        BucketRecord(
            name: try row("name"), creationDate: MetadataCoding.date(try row("created_ms")),
            acl: try MetadataCoding.value(try row("acl"), "bucket ACL"),
            storageClass: OSSStorageClass(rawValue: try row("storage_class")), location: try row("location"),
            cors: try row("cors"), dataRedundancy: try MetadataCoding.value(try row("data_redundancy"), "redundancy type"),
            blocksPublicAccess: try row("block_public_access"),
            versioning: try (try row("versioning", as: String?.self)).map { try MetadataCoding.value($0, "versioning status") },
            lifecycle: try row("lifecycle"), owner: try row("owner"))
    }

    static func attributes(_ row: PostgresRandomAccessRow) throws -> ObjectAttributes {
        try MetadataCoding.attributes(
            contentType: try row("content_type"), userMetadata: try row("user_metadata"), headers: try row("headers"),
            storageClass: try row("storage_class"), acl: try row("acl"), tags: try row("tags"))
    }

    /// A row of ``objectColumns`` with its segments.
    static func version(_ row: PostgresRandomAccessRow, segments: [BlobSegment]) throws -> StoredVersion {
        let versioned: Bool = try row("versioned")
        let versionID: String = try row("version_id")
        let record = ObjectRecord(
            bucket: try row("bucket"), key: try row("key"), size: try row("size"), etag: try row("etag"),
            crc64: MetadataCoding.crc(try row("crc64")), lastModified: MetadataCoding.date(try row("last_modified_ms")),
            type: try MetadataCoding.value(try row("object_type"), "object type"), attributes: try attributes(row),
            symlinkTarget: try row("symlink_target"), segments: segments,
            sealedTime: try row("sealed_ms", as: Int64?.self).map(MetadataCoding.date),
            restore: MetadataCoding.restore(ready: try row("restore_ready_ms"), expiry: try row("restore_expiry_ms")),
            versionID: versioned ? versionID : nil, damage: try row("damage"),
            checksums: ObjectChecksums(column: try row("checksums", as: String?.self)))
        return StoredVersion(
            id: try row("id"), record: record, isLatest: try row("is_latest"), isDeleteMarker: try row("delete_marker"))
    }

    static func summary(_ row: PostgresRandomAccessRow) throws -> ObjectSummary {
        ObjectSummary(
            key: try row("key"), size: try row("size"), etag: try row("etag"), crc64: MetadataCoding.crc(try row("crc64")),
            lastModified: MetadataCoding.date(try row("last_modified_ms")),
            type: try MetadataCoding.value(try row("object_type"), "object type"),
            storageClass: OSSStorageClass(rawValue: try row("storage_class")),
            restore: MetadataCoding.restore(ready: try row("restore_ready_ms"), expiry: try row("restore_expiry_ms")))
    }

    static func versionSummary(_ row: PostgresRandomAccessRow) throws -> VersionSummary {
        VersionSummary(
            rowID: try row("id"), versionID: try row("version_id"), isLatest: try row("is_latest"),
            isDeleteMarker: try row("delete_marker"), object: try summary(row))
    }

    /// A row of ``segmentColumns``, or with `prefix` "segment_" of ``joinedSegmentColumns``.
    static func segment(_ row: PostgresRandomAccessRow, prefix: String = "") throws -> BlobSegment {
        BlobSegment(
            blob: try MetadataCoding.blob(try row(prefix + "blob")), size: try row(prefix + "size"),
            crc64: MetadataCoding.crc(try row(prefix + "crc64")),
            blocks: try MetadataCoding.blocks(try row(prefix + "blocks", as: Data?.self)),
            inline: try row(prefix + "data", as: ByteBuffer?.self))
    }

    static func upload(_ row: PostgresRandomAccessRow) throws -> MultipartUpload {
        MultipartUpload(
            bucket: try row("bucket"), key: try row("key"), uploadID: try row("upload_id"),
            initiated: MetadataCoding.date(try row("initiated_ms")), attributes: try attributes(row),
            checksum: ObjectChecksums(column: try row("checksums", as: String?.self)).requested)
    }

    static func part(_ row: PostgresRandomAccessRow) throws -> PartRecord {
        PartRecord(
            partNumber: try row("part_number"), size: try row("size"), etag: try row("etag"),
            crc64: MetadataCoding.crc(try row("crc64")), lastModified: MetadataCoding.date(try row("last_modified_ms")),
            blob: try MetadataCoding.blob(try row("blob")), blocks: try MetadataCoding.blocks(try row("blocks", as: Data?.self)),
            damage: try row("damage", as: String?.self), checksums: ObjectChecksums(column: try row("checksums", as: String?.self)))
    }

    static func user(_ row: PostgresRandomAccessRow) throws -> UserRecord {
        UserRecord(
            id: try row("id"), name: try row("name"), created: MetadataCoding.date(try row("created_ms")),
            isDisabled: try row("disabled"))
    }

    static func accessKey(_ row: PostgresRandomAccessRow) throws -> AccessKeyRecord {
        AccessKeyRecord(
            id: try row("id"), userID: try row("user_id"), secret: try row("secret"),
            created: MetadataCoding.date(try row("created_ms")), isActive: try row("active"))
    }

    static func temporaryCredential(_ row: PostgresRandomAccessRow) throws -> TemporaryCredentialRecord {
        TemporaryCredentialRecord(
            id: try row("id"), userID: try row("user_id"), secret: try row("secret"), securityToken: try row("security_token"),
            expiration: MetadataCoding.date(try row("expiration_ms")), policy: try row("policy"),
            created: MetadataCoding.date(try row("created_ms")), isRevoked: try row("revoked"))
    }

    // MARK: Encoding

    /// The values of the attribute columns, in the order of ``attributeColumns``.
    static func attributeValues(_ attributes: ObjectAttributes) -> (String, String, String, String, String, String) {
        (
            attributes.contentType, attributes.storageClass.rawValue, attributes.acl.rawValue,
            MetadataCoding.json(attributes.userMetadata), MetadataCoding.headers(attributes), MetadataCoding.json(attributes.tags)
        )
    }
}
