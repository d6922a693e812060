import GRDB
import OSSProtocol

/// ``ObjectAttributes`` as the columns that objects and uploads share, declared once so that both
/// tables store them identically (an upload's attributes become its object's at Complete).
///
/// Maps are JSON objects, so storing one more header needs no migration.
enum AttributeColumns {
    static let contentType = Column("content_type")
    static let storageClass = Column("storage_class")
    static let acl = Column("acl")
    static let userMetadata = Column("user_metadata")
    static let headers = Column("headers")
    static let tags = Column("tags")

    /// The column values of `attributes`: the one list behind inserts and updates.
    static func values(_ attributes: ObjectAttributes) -> [(Column, (any DatabaseValueConvertible)?)] {
        [
            (contentType, attributes.contentType),
            (storageClass, attributes.storageClass.rawValue),
            (acl, attributes.acl.rawValue),
            (userMetadata, MetadataCoding.json(attributes.userMetadata)),
            (headers, MetadataCoding.headers(attributes)),
            (tags, MetadataCoding.json(attributes.tags)),
        ]
    }

    static func encode(_ attributes: ObjectAttributes, to container: inout PersistenceContainer) {
        for (column, value) in values(attributes) { container[column] = value }
    }

    /// `SET` assignments that replace every attribute column (tags, ACL and metadata updates).
    static func assignments(_ attributes: ObjectAttributes) -> [ColumnAssignment] {
        values(attributes).map { column, value in column.set(to: value) }
    }

    static func decode(_ row: Row) throws -> ObjectAttributes {
        try MetadataCoding.attributes(
            contentType: row[contentType], userMetadata: row[userMetadata], headers: row[headers],
            storageClass: row[storageClass], acl: row[acl], tags: row[tags])
    }
}
