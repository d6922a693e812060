/// How a server treats a range that does not fit the object (§3.6).
package enum OSSRangeBehavior: Sendable, Hashable {
    /// OSS's default: an invalid or unsatisfiable range is ignored and the whole object is served (200).
    case ignoreInvalid
    /// `x-oss-range-behavior: standard` (sent by v2's downloader): an end past the object is
    /// clamped, and a start at or past the end is 416 `InvalidRange`.
    case standard

    /// The behaviour a request asks for with its `x-oss-range-behavior` header.
    public init(header: String?) {
        self = header?.trimmingHTTPWhitespace().lowercased() == "standard" ? .standard : .ignoreInvalid
    }
}

/// A satisfiable byte range of an object: serve it with 206 and ``contentRange(objectSize:)``.
public struct OSSByteRange: Sendable, Hashable {
    /// The first byte served.
    public var first: Int64
    /// The last byte served (inclusive).
    public var last: Int64

    /// Creates a range; `first <= last` is the caller's promise.
    public init(first: Int64, last: Int64) {
        self.first = first
        self.last = last
    }

    /// The number of bytes served.
    public var count: Int64 {
        last - first + 1
    }

    /// The `Content-Range` value, `bytes first-last/size`.
    public func contentRange(objectSize: Int64) -> String {
        "bytes \(first)-\(last)/\(objectSize)"
    }

    /// Reads a `Content-Range` value of the form ``contentRange(objectSize:)`` writes: the range
    /// served and the object's size, or `nil` for any other shape (`bytes */size` included).
    public static func parse(contentRange header: String) -> (range: OSSByteRange, objectSize: Int64)? {
        let value = header.trimmingHTTPWhitespace()
        guard value.hasPrefix("bytes ") else { return nil }
        let parts = value.dropFirst(6).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let size = Int64(parts[1]) else { return nil }
        let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first <= last else { return nil }
        return (OSSByteRange(first: first, last: last), size)
    }

    /// Applies a `Range` header to an object.
    ///
    /// - Returns: the range to serve with 206, or `nil` to serve the whole object with 200
    ///   (no header, a syntactically invalid header, or, by default, a range that does not fit).
    /// - Throws: 416 `InvalidRange` with `Content-Range: bytes */size`, only with
    ///   ``OSSRangeBehavior/standard`` when the range starts at or past the end of the object.
    package static func resolve(
        header: String?,
        objectSize: Int64,
        behavior: OSSRangeBehavior
    ) throws(OSSError) -> OSSByteRange? {
        guard let header, let spec = OSSRangeSpec(parsing: header) else { return nil }
        switch behavior {
        case .ignoreInvalid:
            return fitting(spec, objectSize: objectSize)
        case .standard:
            guard let range = clamped(spec, objectSize: objectSize) else {
                throw .invalidRange(requested: header, objectSize: objectSize)
            }
            return range
        }
    }

    /// OSS's default: only ranges entirely inside the object count.
    static func fitting(_ spec: OSSRangeSpec, objectSize: Int64) -> OSSByteRange? {
        switch spec {
        case .closed(let first, let last) where last < objectSize:
            return OSSByteRange(first: first, last: last)
        case .from(let first) where first < objectSize:
            return OSSByteRange(first: first, last: objectSize - 1)
        case .suffix(let length) where length > 0 && length <= objectSize:
            return OSSByteRange(first: objectSize - length, last: objectSize - 1)
        default:
            return nil
        }
    }

    /// RFC 9110: ends are clamped; `nil` means unsatisfiable.
    static func clamped(_ spec: OSSRangeSpec, objectSize: Int64) -> OSSByteRange? {
        guard objectSize > 0 else { return nil }
        switch spec {
        case .closed(let first, let last) where first < objectSize:
            return OSSByteRange(first: first, last: min(last, objectSize - 1))
        case .from(let first) where first < objectSize:
            return OSSByteRange(first: first, last: objectSize - 1)
        case .suffix(let length) where length > 0:
            return OSSByteRange(first: max(0, objectSize - length), last: objectSize - 1)
        default:
            return nil
        }
    }
}
