/// What signatures see of an HTTP request: verb, decoded bucket and key, decoded query and headers.
///
/// Server and client build the same value, the server from what it received and the client from
/// what it is about to send, and then call the same signing code; that is how a rule is written
/// once. Bucket and key are the **decoded** names, whatever the addressing style or the path
/// encoding on the wire, because both V1 and V4 sign the decoded key.
public struct OSSRequest: Sendable {
    /// The HTTP method in upper case, such as `PUT`.
    public var method: String
    /// The bucket, or `nil` for service requests (ListBuckets).
    public var bucket: String?
    /// The decoded object key, or `nil` for bucket and service requests.
    public var key: String?
    /// The decoded query parameters in wire order.
    public var query: [OSSQueryItem]
    /// The header fields in wire order; names in any case.
    public var headers: [(name: String, value: String)]
    /// A path-style bucket request sent as `/bucket`, without the trailing slash (Alibaba's C SDK
    /// sends and signs that form): signatures cover the path as sent.
    public var isBareBucketPath = false

    /// Creates a request description.
    public init(
        method: String,
        bucket: String? = nil,
        key: String? = nil,
        query: [OSSQueryItem] = [],
        headers: [(name: String, value: String)] = []
    ) {
        self.method = method
        self.bucket = bucket
        self.key = key
        self.query = query
        self.headers = headers
    }

    /// Describes a received request from its parsed target, as a server does before verifying.
    package init(method: String, target: OSSRequestTarget, headers: [(name: String, value: String)]) {
        self.init(method: method, bucket: target.bucket, key: target.key, query: target.query, headers: headers)
        isBareBucketPath = target.isBareBucketPath
    }

    /// The value of a header, matched case-insensitively and with surrounding spaces and tabs
    /// removed; repeated fields are joined with `,` as HTTP allows. `nil` when absent.
    public func header(_ name: String) -> String? {
        var found: [String] = []
        for field in headers where field.name.lowercased() == name.lowercased() {
            found.append(field.value.trimmingHTTPWhitespace())
        }
        return found.isEmpty ? nil : found.joined(separator: ",")
    }

    /// Replaces every field with this name (case-insensitively) by one field.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    /// The headers as lower-cased names with trimmed values, repeated names joined with `,`,
    /// sorted by name: the shape both signature versions canonicalise.
    func canonicalHeaders(where include: (String) -> Bool) -> [(name: String, value: String)] {
        var merged: [String: String] = [:]
        for field in headers {
            let name = field.name.lowercased()
            guard include(name) else { continue }
            let value = field.value.trimmingHTTPWhitespace()
            merged[name] = merged[name].map { $0 + "," + value } ?? value
        }
        return merged.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces and tabs, the optional whitespace of an HTTP field value.
    func trimmingHTTPWhitespace() -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isWhitespace($0) }), let last = lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
