import Foundation

/// The bucket, key and query a server reads from a request target and `Host` header (§1.2).
///
/// The rules are the ones that keep every SDK's keys intact: the path is decoded exactly once
/// (`%2F` becomes `/`, `+` stays `+`), `//`, `.` and `..` are kept, and a key may end in `/`.
package struct OSSRequestTarget: Sendable, Hashable {
    /// The bucket, or `nil` for service requests.
    public var bucket: String?
    /// The decoded key, or `nil` for bucket and service requests.
    public var key: String?
    /// The decoded query in wire order.
    public var query: [OSSQueryItem]
    /// Whether the bucket came from the `Host` header.
    public var isVirtualHosted: Bool
    /// A path-style bucket request without the trailing slash (`/bucket`, not `/bucket/`).
    public var isBareBucketPath = false

    /// Creates a target from parts.
    public init(bucket: String?, key: String?, query: [OSSQueryItem] = [], isVirtualHosted: Bool = false) {
        self.bucket = bucket
        self.key = key
        self.query = query
        self.isVirtualHosted = isVirtualHosted
    }

    /// Parses a raw request target such as `/bkt/a%20b?uploads`.
    ///
    /// - Parameters:
    ///   - target: the request target as received (origin form; an absolute URL is accepted too).
    ///   - host: the `Host` header, if any.
    ///   - serviceHosts: the host names this server answers for, without port (for example
    ///     `oss.local`, `localhost`). When `Host` is `<bucket>.<one of them>`, the request is
    ///     virtual-hosted; in every other case it is path style.
    ///   - cnames: custom domains bound to a bucket (OSS CNAME), lowercased host → bucket: a
    ///     request whose `Host` is one of them addresses that bucket, and its whole path is the key.
    /// - Throws: `InvalidObjectName` for a key that is not valid percent-encoded UTF-8,
    ///   `InvalidArgument` for a bad query or a NUL in it, `InvalidBucketName` for an empty bucket
    ///   segment or one with a control character.
    public init(
        parsing target: String, host: String? = nil, serviceHosts: [String] = [], cnames: [String: String] = [:]
    ) throws(OSSError) {
        var rest = Substring(target)
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        if !rest.hasPrefix("/"), let schemeEnd = rest.range(of: "://") {
            let authority = rest[schemeEnd.upperBound...]
            rest = authority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { authority[$0...] } ?? "/"
        }
        var rawQuery: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            rawQuery = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        do {
            query = try OSSQueryItem.parse(rawQuery)
        } catch {
            throw .invalidArgument("The query string is not valid percent-encoded UTF-8.", name: "query", value: error.input)
        }
        // Query values become database lookups (upload ids, markers, prefixes), where a NUL would
        // end the string early: `uploadId=abc%00x` must not find upload `abc`.
        if let item = query.first(where: { $0.name.utf8.contains(0) || $0.value.utf8.contains(0) }) {
            throw .invalidArgument("A query parameter contains a NUL character.", name: item.name, value: item.value)
        }
        let path = rest.hasPrefix("/") ? rest.dropFirst() : rest

        if let host, let boundBucket = cnames[Self.stripPort(host).lowercased()] {
            bucket = boundBucket
            key = path.isEmpty ? nil : try Self.decodeKey(path)
            isVirtualHosted = true
            return
        }
        if let host, let virtualBucket = Self.virtualHostBucket(host: host, serviceHosts: serviceHosts) {
            bucket = virtualBucket
            key = path.isEmpty ? nil : try Self.decodeKey(path)
            isVirtualHosted = true
            return
        }
        isVirtualHosted = false
        guard !path.isEmpty else {
            bucket = nil
            key = nil
            return
        }
        let slash = path.firstIndex(of: "/")
        let bucketSegment = slash.map { path[..<$0] } ?? path
        // No valid bucket name holds a control character, and a NUL would end it early in the
        // database: `/bkt%00evil/x` must not reach bucket `bkt`.
        guard !bucketSegment.isEmpty, let decodedBucket = try? OSSPercentEncoding.decode(bucketSegment),
              !decodedBucket.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
        else {
            throw .invalidBucketName(String(bucketSegment))
        }
        let keyPart = slash.map { path[path.index(after: $0)...] } ?? ""
        if let encodedSlash = decodedBucket.firstIndex(of: "/") {
            // `/bucket%2Fkey`: the slash between bucket and key arrived percent-encoded, as some
            // clients send it; OSS splits there all the same.
            bucket = String(decodedBucket[..<encodedSlash])
            let keyHead = String(decodedBucket[decodedBucket.index(after: encodedSlash)...])
            let whole = slash == nil ? keyHead : keyHead + "/" + (keyPart.isEmpty ? "" : try Self.decodeKey(keyPart))
            key = whole.isEmpty ? nil : whole
            guard let bucket, !bucket.isEmpty else { throw .invalidBucketName(String(bucketSegment)) }
            return
        }
        bucket = decodedBucket
        isBareBucketPath = slash == nil
        key = keyPart.isEmpty ? nil : try Self.decodeKey(keyPart)
    }

    /// The bucket named by a `Host` of the form `<bucket>.<service host>[:port]`, if any.
    public static func virtualHostBucket(host: String, serviceHosts: [String]) -> String? {
        let name = stripPort(host).lowercased()
        for serviceHost in serviceHosts {
            let suffix = "." + stripPort(serviceHost).lowercased()
            if name.utf8.count > suffix.utf8.count, name.hasSuffix(suffix) {
                return String(name.dropLast(suffix.count))
            }
        }
        return nil
    }

    static func stripPort(_ host: String) -> Substring {
        let trimmed = Substring(host.trimmingHTTPWhitespace())
        if trimmed.hasPrefix("[") {
            return trimmed.firstIndex(of: "]").map { trimmed[...$0] } ?? trimmed
        }
        return trimmed.firstIndex(of: ":").map { trimmed[..<$0] } ?? trimmed
    }

    private static func decodeKey(_ raw: Substring) throws(OSSError) -> String {
        do {
            return try OSSPercentEncoding.decode(raw)
        } catch {
            throw .invalidObjectName(String(raw), reason: "the key is not valid percent-encoded UTF-8.")
        }
    }
}
