import Crypto

/// ETag formatting and comparison (§3.1).
///
/// OSS writes upper-case hex in double quotes. oss2 strips the quotes and its resumable download
/// sends an unquoted `If-Match`, v2 keeps them; so comparisons ignore quotes and case.
public enum OSSETag {
    /// `"<UPPER-HEX>"` of an MD5 digest: the ETag of Put, Post and UploadPart.
    public static func quoted(md5 digest: some Sequence<UInt8>) -> String {
        "\"" + Hex.encode(digest, uppercase: true) + "\""
    }

    /// The ETag of a body: the quoted upper-case hex of its MD5.
    public static func forBody(_ body: some Sequence<UInt8>) -> String {
        var md5 = Insecure.MD5()
        md5.update(data: Array(body))
        return quoted(md5: md5.finalize())
    }

    /// The ETag of a multipart object, as OSS forms it: the MD5 of the parts' binary MD5s in part
    /// order, then `-<number of parts>`; so it is never the MD5 of the object's bytes.
    public static func multipart(partDigests: [[UInt8]]) -> String {
        var md5 = Insecure.MD5()
        for digest in partDigests { md5.update(data: digest) }
        return "\"" + Hex.encode(md5.finalize(), uppercase: true) + "-\(partDigests.count)\""
    }

    /// The 16-byte MD5 a body ETag carries, or `nil` when `etag` is not one (a multipart or other
    /// opaque ETag), so that `Content-MD5` can be derived from it.
    public static func md5(fromETag etag: String) -> [UInt8]? {
        let hex = unquoted(etag)
        guard hex.utf8.count == 32 else { return nil }
        return Hex.decode(hex)
    }

    /// Adds quotes and upper-cases, so that `abc` and `"ABC"` both become `"ABC"`.
    public static func normalized(_ etag: String) -> String {
        "\"" + unquoted(etag).uppercased() + "\""
    }

    /// The ETag without surrounding whitespace, a weak `W/` prefix, and quotes.
    public static func unquoted(_ etag: String) -> String {
        var value = Substring(etag.trimmingHTTPWhitespace())
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = value.dropFirst().dropLast()
        }
        return String(value)
    }

    /// Whether two ETags name the same content, ignoring quotes and case.
    public static func matches(_ lhs: String, _ rhs: String) -> Bool {
        unquoted(lhs).caseInsensitiveEquals(unquoted(rhs))
    }

    /// Whether an `If-Match` or `If-None-Match` header value matches an ETag: `*` matches any
    /// ETag, and a comma-separated list matches when one entry does.
    public static func header(_ value: String, matches etag: String) -> Bool {
        value.split(separator: ",").contains { entry in
            let trimmed = entry.trimmingHTTPWhitespace()
            return trimmed == "*" || matches(trimmed, etag)
        }
    }
}

extension String {
    fileprivate func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
