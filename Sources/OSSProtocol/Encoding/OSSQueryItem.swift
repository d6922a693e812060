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
        // On the UTF-8 bytes: every request's query passes here (a presigned URL carries three
        // parameters), and splitting Characters costs grapheme breaking for ASCII text.
        var query = String(query)
        let result: Result<[OSSQueryItem], OSSPercentDecodingError> = query.withUTF8 { bytes in
            var items: [OSSQueryItem] = []
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
                if end > start {
                    let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    do throws(OSSPercentDecodingError) {
                        if let equals = piece.firstIndex(of: UInt8(ascii: "=")) {
                            let name = try decodeComponent(UnsafeBufferPointer(rebasing: piece[..<equals]))
                            let value = try decodeComponent(UnsafeBufferPointer(rebasing: piece[(equals + 1)...]))
                            items.append(OSSQueryItem(name: name, value: value))
                        } else {
                            items.append(OSSQueryItem(name: try decodeComponent(piece)))
                        }
                    } catch {
                        return .failure(error)
                    }
                }
                start = end + 1
            }
            return .success(items)
        }
        return try result.get()
    }

    /// One name or value: `+` is a space, `%XX` a byte, and the result must be UTF-8.
    private static func decodeComponent(
        _ bytes: UnsafeBufferPointer<UInt8>
    ) throws(OSSPercentDecodingError) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            // Slices between ASCII delimiters of a String's UTF-8 are valid UTF-8.
            return String(decoding: bytes, as: UTF8.self)
        }
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                output.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, let high = Hex.value(of: bytes[index + 1]), let low = Hex.value(of: bytes[index + 2])
                else { throw .invalidEscape(text(bytes)) }
                output.append(high << 4 | low)
                index += 3
            case let byte:
                output.append(byte)
                index += 1
            }
        }
        guard let decoded = String(validating: output, as: UTF8.self) else { throw .invalidUTF8(text(bytes)) }
        return decoded
    }

    /// The name or value as it was sent, `+` read as a space, for error messages.
    private static func text(_ piece: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: piece.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
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
