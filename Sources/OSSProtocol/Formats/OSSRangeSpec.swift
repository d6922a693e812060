/// One byte range of a `Range` (or `x-oss-copy-source-range`) header, before it meets an object.
public enum OSSRangeSpec: Sendable, Hashable {
    /// `bytes=first-last`, both inclusive, `first <= last`.
    case closed(first: Int64, last: Int64)
    /// `bytes=first-`: from `first` to the end.
    case from(first: Int64)
    /// `bytes=-length`: the last `length` bytes.
    case suffix(length: Int64)

    /// Parses a header value; only the first range of a list is kept, as OSS serves the first.
    ///
    /// Returns `nil` for anything that is not syntactically a byte range: another unit,
    /// non-digits, `first > last`, or an empty spec. A number too large for `Int64` is read as
    /// `Int64.max`, so a huge end still means "to the end".
    public init?(parsing header: String) {
        let value = header.trimmingHTTPWhitespace()
        guard value.utf8.count > 6, value.prefix(6).lowercased() == "bytes=" else { return nil }
        guard let firstSpec = value.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false).first
        else { return nil }
        let spec = firstSpec.trimmingHTTPWhitespace()
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let start = spec[..<dash]
        let end = spec[spec.index(after: dash)...]
        switch (Self.number(start), Self.number(end)) {
        case (let first?, let last?):
            guard first <= last else { return nil }
            self = .closed(first: first, last: last)
        case (let first?, nil) where end.isEmpty:
            self = .from(first: first)
        case (nil, let length?) where start.isEmpty:
            self = .suffix(length: length)
        default:
            return nil
        }
    }

    private static func number(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int64(text) ?? Int64.max
    }
}
