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
        var headerMap: [String: String] = [:]
        headerMap["cache-control"] = attributes.cacheControl
        headerMap["content-disposition"] = attributes.contentDisposition
        headerMap["content-encoding"] = attributes.contentEncoding
        headerMap["content-language"] = attributes.contentLanguage
        headerMap["expires"] = attributes.expires
        return [
            (contentType, attributes.contentType),
            (storageClass, attributes.storageClass.rawValue),
            (acl, attributes.acl.rawValue),
            (userMetadata, MetadataCoding.json(attributes.userMetadata)),
            (headers, MetadataCoding.json(headerMap)),
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
        let headerMap = try MetadataCoding.dictionary(row[headers])
        return ObjectAttributes(
            contentType: row[contentType],
            userMetadata: try MetadataCoding.dictionary(row[userMetadata]),
            cacheControl: headerMap["cache-control"],
            contentDisposition: headerMap["content-disposition"],
            contentEncoding: headerMap["content-encoding"],
            contentLanguage: headerMap["content-language"],
            expires: headerMap["expires"],
            storageClass: OSSStorageClass(rawValue: row[storageClass]),
            acl: try MetadataCoding.value(row[acl], "object ACL"),
            tags: try MetadataCoding.dictionary(row[tags])
        )
    }
}
