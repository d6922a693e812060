import Foundation

/// The GetBucketStat response (`GET /?stat`), root `BucketStat`: sizes in bytes, counts, and
/// `LastModifiedTime` in Unix seconds; every number 64-bit.
///
/// oss2 requires `Storage` and `ObjectCount` and defaults the rest to 0; alibabacloud_oss_v2 and
/// the Swift SDK v2 read every element, in this order.
public struct OSSBucketStat: Sendable, Hashable {
    /// The value of each element; an element not here is 0.
    public var values: [String: Int64]

    /// The elements OSS sends, in its order.
    public static let elements = [
        "Storage", "ObjectCount", "MultipartUploadCount", "LiveChannelCount", "LastModifiedTime",
        "StandardStorage", "StandardObjectCount", "InfrequentAccessStorage", "InfrequentAccessRealStorage",
        "InfrequentAccessObjectCount", "ArchiveStorage", "ArchiveRealStorage", "ArchiveObjectCount",
        "ColdArchiveStorage", "ColdArchiveRealStorage", "ColdArchiveObjectCount", "DeepColdArchiveStorage",
        "DeepColdArchiveRealStorage", "DeepColdArchiveObjectCount", "DeleteMarkerCount", "MultipartPartCount",
    ]

    /// A result from each element's value; those not given are 0.
    public init(_ values: [String: Int64]) {
        self.values = values.filter { Self.elements.contains($0.key) }
    }

    /// The value of an element (0 when absent).
    public subscript(_ name: String) -> Int64 { values[name] ?? 0 }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("BucketStat") { writer in
            for name in Self.elements { writer.element(name, self[name]) }
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root, a missing `Storage` or `ObjectCount`, or a
    ///   value that is not an integer.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "BucketStat")
        var values: [String: Int64] = [:]
        for name in Self.elements {
            guard let text = root.text(name) else {
                if name == "Storage" || name == "ObjectCount" { throw .malformedXML("<BucketStat> lacks <\(name)>.") }
                continue
            }
            guard let value = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                throw .malformedXML("<\(name)> is not an integer: \(text)")
            }
            values[name] = value
        }
        self.init(values)
    }
}
