import Foundation
import GRDB
import NIOCore
import OSSProtocol

/// A row of `objects`: one version of a key, an ``ObjectRecord`` without its segments (rows of
/// their own, ``SegmentRow``, so that copies can share blobs and appends can add one) or a
/// delete marker.
struct ObjectRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "objects"

    enum Columns {
        static let id = Column("id")
        static let bucket = Column("bucket")
        static let key = Column("key")
        /// ``ObjectVersionID``: a version id, or `null` for the version written while versioning
        /// was off or suspended.
        static let versionID = Column("version_id")
        /// 1 for the newest version of its key, which reads and ListObjects see.
        static let isLatest = Column("is_latest")
        static let isDeleteMarker = Column("delete_marker")
        static let size = Column("size")
        static let etag = Column("etag")
        static let crc64 = Column("crc64")
        static let lastModifiedMilliseconds = Column("last_modified_ms")
        static let objectType = Column("object_type")
        static let symlinkTarget = Column("symlink_target")
        static let sealedMilliseconds = Column("sealed_ms")
        static let restoreReadyMilliseconds = Column("restore_ready_ms")
        static let restoreExpiryMilliseconds = Column("restore_expiry_ms")
        /// What the scrubber found wrong with the bytes (``ObjectRecord/damage``); NULL when whole.
        static let damage = Column("damage")
        /// ``ObjectChecksums/column``; NULL when the object has none of them.
        static let checksums = Column("checksums")
    }

    /// The row id; `nil` before the row is inserted.
    var id: Int64?
    var bucket: String
    var key: String
    var versionID: String
    var isLatest: Bool
    var isDeleteMarker: Bool
    var size: Int
    var etag: String
    var crc64: UInt64
    var lastModified: Date
    var type: OSSObjectType
    var symlinkTarget: String?
    var sealedTime: Date?
    var restore: RestoreState?
    var attributes: ObjectAttributes
    var damage: String?
    var checksums: ObjectChecksums

    /// The row of `object`, with the id of the row it replaces in an update. Its version is
    /// `object`'s, `null` when that is `nil`.
    init(_ object: ObjectRecord, id: Int64? = nil, isLatest: Bool = true, isDeleteMarker: Bool = false) {
        self.id = id
        bucket = object.bucket
        key = object.key
        versionID = object.versionID ?? ObjectVersionID.null
        self.isLatest = isLatest
        self.isDeleteMarker = isDeleteMarker
        size = object.size
        etag = object.etag
        crc64 = object.crc64
        lastModified = object.lastModified
        type = object.type
        symlinkTarget = object.symlinkTarget
        sealedTime = object.sealedTime
        restore = object.restore
        attributes = object.attributes
        damage = object.damage
        checksums = object.checksums
    }

    init(row: Row) throws {
        id = row[Columns.id]
        bucket = row[Columns.bucket]
        key = row[Columns.key]
        versionID = row[Columns.versionID]
        isLatest = row[Columns.isLatest]
        isDeleteMarker = row[Columns.isDeleteMarker]
        size = row[Columns.size]
        etag = row[Columns.etag]
        crc64 = MetadataCoding.crc(row[Columns.crc64])
        lastModified = MetadataCoding.date(row[Columns.lastModifiedMilliseconds])
        type = try MetadataCoding.value(row[Columns.objectType], "object type")
        symlinkTarget = row[Columns.symlinkTarget]
        sealedTime = (row[Columns.sealedMilliseconds] as Int64?).map(MetadataCoding.date)
        restore = MetadataCoding.restore(ready: row[Columns.restoreReadyMilliseconds], expiry: row[Columns.restoreExpiryMilliseconds])
        attributes = try AttributeColumns.decode(row)
        damage = row[Columns.damage]
        checksums = ObjectChecksums(column: row[Columns.checksums])
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.bucket] = bucket
        container[Columns.key] = key
        container[Columns.versionID] = versionID
        container[Columns.isLatest] = isLatest
        container[Columns.isDeleteMarker] = isDeleteMarker
        container[Columns.size] = size
        container[Columns.etag] = etag
        container[Columns.crc64] = MetadataCoding.column(crc64)
        container[Columns.lastModifiedMilliseconds] = MetadataCoding.milliseconds(lastModified)
        container[Columns.objectType] = type.rawValue
        container[Columns.symlinkTarget] = symlinkTarget
        container[Columns.sealedMilliseconds] = sealedTime.map(MetadataCoding.milliseconds)
        container[Columns.restoreReadyMilliseconds] = restore.map { MetadataCoding.milliseconds($0.readyTime) }
        container[Columns.restoreExpiryMilliseconds] = restore.map { MetadataCoding.milliseconds($0.expiryTime) }
        AttributeColumns.encode(attributes, to: &container)
        container[Columns.damage] = damage
        container[Columns.checksums] = checksums.column
    }

    /// The object this row and its segment rows describe; it names its version when the
    /// bucket's versioning was ever on (`versioned`).
    func record(segments: [BlobSegment], versioned: Bool) -> ObjectRecord {
        ObjectRecord(
            bucket: bucket, key: key, size: size, etag: etag, crc64: crc64, lastModified: lastModified, type: type,
            attributes: attributes, symlinkTarget: symlinkTarget, segments: segments, sealedTime: sealedTime,
            restore: restore, versionID: versioned ? versionID : nil, damage: damage, checksums: checksums)
    }
}

/// The columns of `objects` a listing shows, and only those: a page of 1,000 keys does not decode
/// 1,000 sets of attributes.
struct ObjectSummaryRow: FetchableRecord, TableRecord {
    static let databaseTableName = ObjectRow.databaseTableName
    /// The columns a listing shows, once for GRDB requests and SQL written by hand.
    static let columns = [
        ObjectRow.Columns.key, ObjectRow.Columns.size, ObjectRow.Columns.etag, ObjectRow.Columns.crc64,
        ObjectRow.Columns.lastModifiedMilliseconds, ObjectRow.Columns.objectType, AttributeColumns.storageClass,
        ObjectRow.Columns.restoreReadyMilliseconds, ObjectRow.Columns.restoreExpiryMilliseconds,
    ]
    static var databaseSelection: [any SQLSelectable] { columns }
    /// The selected columns, for statements written in SQL.
    static let columnList = columns.map(\.name).joined(separator: ", ")

    var summary: ObjectSummary

    init(row: Row) throws {
        summary = ObjectSummary(
            key: row[ObjectRow.Columns.key], size: row[ObjectRow.Columns.size], etag: row[ObjectRow.Columns.etag],
            crc64: MetadataCoding.crc(row[ObjectRow.Columns.crc64]),
            lastModified: MetadataCoding.date(row[ObjectRow.Columns.lastModifiedMilliseconds]),
            type: try MetadataCoding.value(row[ObjectRow.Columns.objectType], "object type"),
            storageClass: OSSStorageClass(rawValue: row[AttributeColumns.storageClass]),
            restore: MetadataCoding.restore(
                ready: row[ObjectRow.Columns.restoreReadyMilliseconds], expiry: row[ObjectRow.Columns.restoreExpiryMilliseconds]))
    }
}

/// The columns of `objects` ListObjectVersions shows: a version (or delete marker) of a key.
struct VersionSummaryRow: FetchableRecord, TableRecord {
    static let databaseTableName = ObjectRow.databaseTableName
    static var databaseSelection: [any SQLSelectable] {
        ObjectSummaryRow.databaseSelection + [
            ObjectRow.Columns.id, ObjectRow.Columns.versionID, ObjectRow.Columns.isLatest, ObjectRow.Columns.isDeleteMarker,
        ]
    }

    var version: VersionSummary

    init(row: Row) throws {
        version = VersionSummary(
            rowID: row[ObjectRow.Columns.id], versionID: row[ObjectRow.Columns.versionID],
            isLatest: row[ObjectRow.Columns.isLatest], isDeleteMarker: row[ObjectRow.Columns.isDeleteMarker],
            object: try ObjectSummaryRow(row: row).summary)
    }
}

/// A row of `segments`: one blob of an object, at its place in the object's bytes.
struct SegmentRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "segments"

    enum Columns {
        static let objectID = Column("object_id")
        static let sequence = Column("seq")
        static let blob = Column("blob")
        static let size = Column("size")
        static let crc64 = Column("crc64")
        /// ``BlockChecksums/encoded``; NULL for a single-block blob and for blobs written before
        /// schema v3, which readers verify whole.
        static let blocks = Column("blocks")
        /// The bytes of an inline segment; NULL for one in a blob file.
        static let data = Column("data")
    }

    var objectID: Int64
    var sequence: Int
    var segment: BlobSegment

    init(objectID: Int64, sequence: Int, segment: BlobSegment) {
        self.objectID = objectID
        self.sequence = sequence
        self.segment = segment
    }

    init(row: Row) throws {
        objectID = row[Columns.objectID]
        sequence = row[Columns.sequence]
        segment = BlobSegment(
            blob: try MetadataCoding.blob(row[Columns.blob]), size: row[Columns.size],
            crc64: MetadataCoding.crc(row[Columns.crc64]), blocks: try MetadataCoding.blocks(row[Columns.blocks]),
            inline: (row[Columns.data] as Data?).map { ByteBuffer(bytes: $0) })
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.objectID] = objectID
        container[Columns.sequence] = sequence
        container[Columns.blob] = segment.blob.rawValue
        container[Columns.size] = segment.size
        container[Columns.crc64] = MetadataCoding.column(segment.crc64)
        container[Columns.blocks] = segment.blocks?.encoded
        container[Columns.data] = segment.inline.map { Data($0.readableBytesView) }
    }
}
