import GRDB

/// A row of `uploads`: one ``MultipartUpload`` in progress, with the attributes its object will get.
struct UploadRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "uploads"

    enum Columns {
        static let uploadID = Column("upload_id")
        static let bucket = Column("bucket")
        static let key = Column("key")
        static let initiatedMilliseconds = Column("initiated_ms")
        /// The checksum Complete computes (``ObjectChecksums/column``, no value); NULL for none.
        static let checksums = Column("checksums")
    }

    var upload: MultipartUpload

    init(_ upload: MultipartUpload) { self.upload = upload }

    init(row: Row) throws {
        upload = MultipartUpload(
            bucket: row[Columns.bucket], key: row[Columns.key], uploadID: row[Columns.uploadID],
            initiated: MetadataCoding.date(row[Columns.initiatedMilliseconds]), attributes: try AttributeColumns.decode(row),
            checksum: ObjectChecksums(column: row[Columns.checksums]).requested)
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.uploadID] = upload.uploadID
        container[Columns.bucket] = upload.bucket
        container[Columns.key] = upload.key
        container[Columns.initiatedMilliseconds] = MetadataCoding.milliseconds(upload.initiated)
        AttributeColumns.encode(upload.attributes, to: &container)
        container[Columns.checksums] = ObjectChecksums(requested: upload.checksum).column
    }
}

/// A row of `parts`: one uploaded part of an upload; a new upload of the same number replaces it.
struct PartRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "parts"
    /// UploadPart of a number already uploaded replaces the earlier part, as on OSS.
    static let persistenceConflictPolicy = PersistenceConflictPolicy(insert: .replace, update: .abort)

    enum Columns {
        static let uploadID = Column("upload_id")
        static let partNumber = Column("part_number")
        static let size = Column("size")
        static let etag = Column("etag")
        static let crc64 = Column("crc64")
        static let lastModifiedMilliseconds = Column("last_modified_ms")
        static let blob = Column("blob")
        /// As ``SegmentRow/Columns/blocks``.
        static let blocks = Column("blocks")
        static let damage = Column("damage")
        /// ``ObjectChecksums/column``; NULL when the part has none of them.
        static let checksums = Column("checksums")
    }

    var uploadID: String
    var part: PartRecord

    init(uploadID: String, part: PartRecord) {
        self.uploadID = uploadID
        self.part = part
    }

    init(row: Row) throws {
        uploadID = row[Columns.uploadID]
        part = PartRecord(
            partNumber: row[Columns.partNumber], size: row[Columns.size], etag: row[Columns.etag],
            crc64: MetadataCoding.crc(row[Columns.crc64]), lastModified: MetadataCoding.date(row[Columns.lastModifiedMilliseconds]),
            blob: try MetadataCoding.blob(row[Columns.blob]), blocks: try MetadataCoding.blocks(row[Columns.blocks]),
            damage: row[Columns.damage], checksums: ObjectChecksums(column: row[Columns.checksums]))
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.uploadID] = uploadID
        container[Columns.partNumber] = part.partNumber
        container[Columns.size] = part.size
        container[Columns.etag] = part.etag
        container[Columns.crc64] = MetadataCoding.column(part.crc64)
        container[Columns.lastModifiedMilliseconds] = MetadataCoding.milliseconds(part.lastModified)
        container[Columns.blob] = part.blob.rawValue
        container[Columns.blocks] = part.blocks?.encoded
        container[Columns.damage] = part.damage
        container[Columns.checksums] = part.checksums.column
    }
}
