import OSSProtocol
import Foundation
import GRDB

/// Conversions between storage values and SQLite columns, in one place so that objects and
/// uploads store attributes identically.
enum SQLiteCoding {
    static let attributeColumnNames = "content_type, storage_class, acl, user_metadata, headers, tags"
    static let attributePlaceholders = "?, ?, ?, ?, ?, ?"
    /// `column = ?, …` for an `UPDATE` of the attribute columns, in the order of ``arguments(_:)``.
    static let attributeAssignments = attributeColumnNames.split(separator: ",")
        .map { $0.trimmingCharacters(in: .whitespaces) + " = ?" }.joined(separator: ", ")

    static func arguments(_ attributes: ObjectAttributes) -> StatementArguments {
        var headers: [String: String] = [:]
        headers["cache-control"] = attributes.cacheControl
        headers["content-disposition"] = attributes.contentDisposition
        headers["content-encoding"] = attributes.contentEncoding
        headers["expires"] = attributes.expires
        return [
            attributes.contentType, attributes.storageClass.rawValue, attributes.acl.rawValue,
            json(attributes.userMetadata), json(headers), json(attributes.tags),
        ]
    }

    static func attributes(_ row: Row) throws -> ObjectAttributes {
        let headers = try dictionary(row["headers"])
        return ObjectAttributes(
            contentType: row["content_type"],
            userMetadata: try dictionary(row["user_metadata"]),
            cacheControl: headers["cache-control"],
            contentDisposition: headers["content-disposition"],
            contentEncoding: headers["content-encoding"],
            expires: headers["expires"],
            storageClass: OSSStorageClass(rawValue: row["storage_class"]),
            acl: try acl(row["acl"]),
            tags: try dictionary(row["tags"])
        )
    }

    /// An ACL column: one of OSS's spellings, or the row is damaged.
    static func acl<ACL: RawRepresentable<String>>(_ column: String) throws -> ACL {
        guard let acl = ACL(rawValue: column) else {
            throw StorageError.metadata(detail: "unknown ACL '\(column)' in the database")
        }
        return acl
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
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

    private static func json(_ map: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a [String: String] cannot fail.
        let data = (try? encoder.encode(map)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func dictionary(_ json: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw StorageError.metadata(detail: "malformed JSON column: \(json)")
        }
    }
}
