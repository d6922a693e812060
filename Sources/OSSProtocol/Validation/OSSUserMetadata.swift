/// User metadata (`x-oss-meta-*`, §3.1): collected from request headers, stored and returned
/// with lower-cased names.
public struct OSSUserMetadata: Sendable, Hashable {
    /// The largest total size of names (without the prefix) and values, in UTF-8 bytes.
    public static let maximumBytes = 8 * 1024

    /// Values by lower-cased name without the `x-oss-meta-` prefix.
    public var entries: [String: String]

    /// Creates metadata from entries; names are lower-cased.
    public init(_ entries: [String: String] = [:]) {
        self.entries = Dictionary(entries.map { ($0.key.lowercased(), $0.value) }) { first, second in first + "," + second }
    }

    /// Collects every `x-oss-meta-*` header; repeated names are joined with `,`.
    ///
    /// - Throws: 400 `InvalidArgument` (EC 0011-00000002) for a name outside `[A-Za-z0-9-]` or
    ///   empty, or for more than 8 KB in total.
    public init(headers: [(name: String, value: String)]) throws(OSSError) {
        var entries: [String: String] = [:]
        var total = 0
        for field in headers {
            let lowered = field.name.lowercased()
            guard lowered.hasPrefix(OSSHeader.metaPrefix) else { continue }
            let name = String(lowered.dropFirst(OSSHeader.metaPrefix.count))
            guard !name.isEmpty, name.utf8.allSatisfy({ Self.isNameByte($0) }) else {
                throw .invalidArgument(
                    "User metadata names may only contain letters, digits and '-'.", name: field.name,
                    value: field.value, ec: "0011-00000002")
            }
            let value = field.value.trimmingHTTPWhitespace()
            total += (entries[name] == nil ? name.utf8.count : 1) + value.utf8.count
            entries[name] = entries[name].map { $0 + "," + value } ?? value
        }
        guard total <= Self.maximumBytes else {
            throw .invalidArgument(
                "User metadata must not exceed \(Self.maximumBytes) bytes in total.", name: "x-oss-meta-*",
                value: String(total), ec: "0011-00000002")
        }
        self.entries = entries
    }

    /// The response headers, `x-oss-meta-<name>`, sorted by name.
    public var headers: [(name: String, value: String)] {
        entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { (OSSHeader.metaPrefix + $0.key, $0.value) }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-")
    }
}
