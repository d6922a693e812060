/// One decoded query parameter, in the order it appeared on the wire.
///
/// OSS has parameters without a value (`?append`, `?uploads`); oss2 writes them as `k` and v2 as
/// `k=`. Both become an empty ``value``, because every signature treats them alike.
public struct OSSQueryItem: Sendable, Hashable {
    /// The decoded parameter name.
    public var name: String
    /// The decoded value; empty for `k` and for `k=`.
    public var value: String

    /// Creates a query item from decoded text.
    public init(name: String, value: String = "") {
        self.name = name
        self.value = value
    }

    /// Parses a raw query string (without the `?`) with percent-decoding, reading `+` as a space.
    ///
    /// oss2 sends its query through `requests`, which writes a space as `+` (`prefix=c+d`) and
    /// signs it as `%20`; both SDKs send a real plus as `%2B`. So `+` must mean space here, or
    /// oss2's listings with spaces fail their signature (V4) or match nothing (V1).
    /// Empty pieces (`a&&b`) are skipped.
    /// - Throws: ``OSSPercentDecodingError`` for a bad escape or a value that is not UTF-8.
    public static func parse(_ query: some StringProtocol) throws(OSSPercentDecodingError) -> [OSSQueryItem] {
        var items: [OSSQueryItem] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let piece = String(piece.map { $0 == "+" ? " " : $0 })
            if let equals = piece.firstIndex(of: "=") {
                let name = try OSSPercentEncoding.decode(piece[..<equals])
                let value = try OSSPercentEncoding.decode(piece[piece.index(after: equals)...])
                items.append(OSSQueryItem(name: name, value: value))
            } else {
                items.append(OSSQueryItem(name: try OSSPercentEncoding.decode(piece)))
            }
        }
        return items
    }

    /// Writes items as a query string in their order, `k` for an empty value, everything else
    /// percent-encoded (so `/` is `%2F` and space is `%20`).
    public static func encode(_ items: [OSSQueryItem]) -> String {
        items.map { item in
            let name = OSSPercentEncoding.encode(item.name)
            return item.value.isEmpty ? name : name + "=" + OSSPercentEncoding.encode(item.value)
        }.joined(separator: "&")
    }
}

extension Array where Element == OSSQueryItem {
    /// The value of the first parameter with this exact (case-sensitive) name, or `nil` if absent.
    ///
    /// OSS parameter names are case-sensitive (`uploadId`, `partNumber`).
    public func value(for name: String) -> String? {
        first { $0.name == name }?.value
    }

    /// Whether a parameter with this exact name is present, with or without a value.
    public func contains(_ name: String) -> Bool {
        contains { $0.name == name }
    }
}
