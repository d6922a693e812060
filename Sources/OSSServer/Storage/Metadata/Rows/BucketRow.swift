import GRDB
import OSSProtocol

/// A row of `buckets`: one ``BucketRecord``.
struct BucketRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "buckets"

    enum Columns {
        static let name = Column("name")
        static let createdMilliseconds = Column("created_ms")
        static let acl = Column("acl")
        static let storageClass = Column("storage_class")
        static let location = Column("location")
        /// The CORSConfiguration document as PutBucketCors stored it; NULL when there is none.
        static let cors = Column("cors")
        static let dataRedundancy = Column("data_redundancy")
        static let blocksPublicAccess = Column("block_public_access")
        /// `Enabled` or `Suspended`; NULL while versioning was never on.
        static let versioning = Column("versioning")
        /// The LifecycleConfiguration document; NULL when there is none.
        static let lifecycle = Column("lifecycle")
        /// The id of the user who owns the bucket.
        static let owner = Column("owner")
    }

    var bucket: BucketRecord

    init(_ bucket: BucketRecord) { self.bucket = bucket }

    init(row: Row) throws {
        bucket = BucketRecord(
            name: row[Columns.name], creationDate: MetadataCoding.date(row[Columns.createdMilliseconds]),
            acl: try MetadataCoding.value(row[Columns.acl], "bucket ACL"),
            storageClass: OSSStorageClass(rawValue: row[Columns.storageClass]), location: row[Columns.location],
            cors: row[Columns.cors], dataRedundancy: try MetadataCoding.value(row[Columns.dataRedundancy], "redundancy type"),
            blocksPublicAccess: row[Columns.blocksPublicAccess],
            versioning: try (row[Columns.versioning] as String?).map { try MetadataCoding.value($0, "versioning status") },
            lifecycle: row[Columns.lifecycle], owner: row[Columns.owner])
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.name] = bucket.name
        container[Columns.createdMilliseconds] = MetadataCoding.milliseconds(bucket.creationDate)
        container[Columns.acl] = bucket.acl.rawValue
        container[Columns.storageClass] = bucket.storageClass.rawValue
        container[Columns.location] = bucket.location
        container[Columns.cors] = bucket.cors
        container[Columns.dataRedundancy] = bucket.dataRedundancy.rawValue
        container[Columns.blocksPublicAccess] = bucket.blocksPublicAccess
        container[Columns.versioning] = bucket.versioning?.rawValue
        container[Columns.lifecycle] = bucket.lifecycle
        container[Columns.owner] = bucket.owner
    }
}
