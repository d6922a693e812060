import OSSProtocol
import Foundation

/// Conversions between storage values and column values, shared by both metadata stores (so that
/// a database of either speaks one format): times as Unix milliseconds, CRCs as the bit pattern of
/// an `Int64`, maps as JSON.
enum MetadataCoding {
    /// A column holding one of `Value`'s spellings (an ACL, an object type), or the row is damaged.
    static func value<Value: RawRepresentable<String>>(_ column: String, _ what: String) throws -> Value {
        guard let value = Value(rawValue: column) else {
            throw StorageError.metadata(detail: "unknown \(what) '\(column)' in the database")
        }
        return value
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The restore columns: both set or both NULL.
    static func restore(ready: Int64?, expiry: Int64?) -> RestoreState? {
        guard let ready, let expiry else { return nil }
        return RestoreState(readyTime: date(ready), expiryTime: date(expiry))
    }

    static func column(_ crc: UInt64) -> Int64 { Int64(bitPattern: crc) }

    static func crc(_ column: Int64) -> UInt64 { UInt64(bitPattern: column) }

    static func blob(_ rawValue: String) throws -> BlobID {
        guard let id = BlobID(rawValue: rawValue) else {
            throw StorageError.metadata(detail: "malformed blob id '\(rawValue)' in the database")
        }
        return id
    }

    /// A `blocks` column: `nil` for NULL (a single-block blob), a malformed value is an error.
    static func blocks(_ column: Data?) throws -> BlockChecksums? {
        guard let column else { return nil }
        guard let blocks = BlockChecksums(encoded: column) else {
            throw StorageError.metadata(detail: "malformed block checksums (\(column.count) bytes) in the database")
        }
        return blocks
    }

    /// A byte string bound as a BLOB and cast to TEXT, so that bounds which are not valid UTF-8
    /// (the successor of a prefix) still compare bytewise against TEXT keys.
    static let textFromBytes = "CAST(? AS TEXT)"

    static func bytes(_ bytes: [UInt8]) -> Data { Data(bytes) }

    static func json(_ map: [String: String]) -> String {
        // Most objects have no metadata, no tags and no stored headers.
        if map.isEmpty { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a [String: String] cannot fail.
        let data = (try? encoder.encode(map)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func dictionary(_ json: String) throws -> [String: String] {
        if json == "{}" { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw StorageError.metadata(detail: "malformed JSON column: \(json)")
        }
    }

    /// The stored headers of `attributes` (Cache-Control and its kin) as one JSON column.
    static func headers(_ attributes: ObjectAttributes) -> String {
        var headerMap: [String: String] = [:]
        headerMap["cache-control"] = attributes.cacheControl
        headerMap["content-disposition"] = attributes.contentDisposition
        headerMap["content-encoding"] = attributes.contentEncoding
        headerMap["content-language"] = attributes.contentLanguage
        headerMap["expires"] = attributes.expires
        return json(headerMap)
    }

    /// ``ObjectAttributes`` from the attribute columns, as both stores keep them.
    static func attributes(
        contentType: String, userMetadata: String, headers: String, storageClass: String, acl: String, tags: String
    ) throws -> ObjectAttributes {
        let headerMap = try dictionary(headers)
        return ObjectAttributes(
            contentType: contentType,
            userMetadata: try dictionary(userMetadata),
            cacheControl: headerMap["cache-control"],
            contentDisposition: headerMap["content-disposition"],
            contentEncoding: headerMap["content-encoding"],
            contentLanguage: headerMap["content-language"],
            expires: headerMap["expires"],
            storageClass: OSSStorageClass(rawValue: storageClass),
            acl: try value(acl, "object ACL"),
            tags: try dictionary(tags))
    }
}
