import Foundation
import OSSProtocol

/// Where the service is and how buckets are put into URLs (§1.1).
///
/// OSS addresses a bucket either in the path (`http://127.0.0.1:9000/bkt/key`) or in the host
/// name (`http://bkt.oss.example.com/key`). IP literals and `localhost` can only be addressed by
/// path, because `bkt.127.0.0.1` is not a host; everything else defaults to virtual-hosted
/// addressing, as the official SDKs do. Both are served by swift-oss on one port.
public struct OSSEndpoint: Sendable, Hashable {
    /// How the bucket is put into the URL.
    public enum Addressing: Sendable, Hashable {
        /// Path style for IP literals and `localhost`, virtual-hosted otherwise.
        case automatic
        /// Always `/<bucket>/<key>`.
        case path
        /// Always `<bucket>.<host>/<key>`.
        case virtualHosted
        /// The endpoint is a custom domain bound to one bucket (OSS CNAME): `<host>/<key>`. The
        /// bucket never appears in the URL but is still signed, so requests must name the bucket
        /// the domain is bound to; service-level requests (ListBuckets) cannot be sent this way.
        case cname
    }

    /// `http` or `https`.
    public let scheme: String
    /// The host name or IP address; IPv6 addresses without brackets.
    public let host: String
    /// The port, or `nil` for the scheme's default.
    public let port: Int?
    /// The addressing style actually used (never ``Addressing/automatic``).
    public let style: OSSAddressingStyle
    /// Whether the host is a custom domain bound to a bucket (``Addressing/cname``).
    public let isCNAME: Bool

    /// Parses an endpoint such as `http://127.0.0.1:9000`, `https://oss-cn-hangzhou.aliyuncs.com`
    /// or `oss.local:9000`.
    ///
    /// A missing scheme means `https`, except for IP literals and `localhost`, which are local
    /// development servers and get `http`.
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` for an unparsable endpoint, another scheme,
    ///   a path, query or user info.
    public init(_ endpoint: String, addressing: Addressing = .automatic) throws(OSSClientError) {
        var text = endpoint.trimmingCharacters(in: .whitespaces)
        let hasScheme = text.contains("://")
        if !hasScheme { text = "http://" + text }
        guard let components = URLComponents(string: text), let rawHost = components.host, !rawHost.isEmpty else {
            throw .invalidArgument("The endpoint \(endpoint) is not a URL; use a form such as http://127.0.0.1:9000.")
        }
        let scheme = (components.scheme ?? "http").lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .invalidArgument("The endpoint scheme must be http or https, not \(scheme).")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.user == nil
        else {
            throw .invalidArgument("The endpoint \(endpoint) must be scheme://host[:port] without path or query.")
        }
        let host = rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let isLocal = Self.isIPLiteral(host) || host.lowercased() == "localhost"
        self.scheme = hasScheme ? scheme : (isLocal ? "http" : "https")
        self.host = host
        self.port = components.port
        isCNAME = addressing == .cname
        switch addressing {
        case .path: style = .path
        case .cname: style = .virtualHosted
        case .virtualHosted:
            guard !Self.isIPLiteral(host) else {
                throw .invalidArgument("An IP endpoint (\(host)) cannot be addressed virtual-hosted; use path style.")
            }
            style = .virtualHosted
        case .automatic: style = isLocal ? .path : .virtualHosted
        }
    }

    /// `host[:port]` with the bucket in front when virtual-hosted: the URL authority and `Host`.
    func authority(bucket: String?) -> String {
        var name = HostNotation.bracketed(host)
        if let bucket, style == .virtualHosted, !isCNAME { name = bucket + "." + name }
        return port.map { "\(name):\($0)" } ?? name
    }

    /// The full URL of a request, path and query percent-encoded once by OSSProtocol's rules.
    /// `scheme://host[:port]`, as messages name the endpoint.
    public var origin: String {
        "\(scheme)://\(HostNotation.bracketed(host))" + (port.map { ":\($0)" } ?? "")
    }

    func url(for request: OSSRequest, extraQuery: [OSSQueryItem] = []) -> String {
        var url = scheme + "://" + authority(bucket: request.bucket) + request.encodedPath(style: style)
        let query = OSSQueryItem.encode(request.query + extraQuery)
        if !query.isEmpty { url += "?" + query }
        return url
    }

    static func isIPLiteral(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in UInt8(part) != nil && !part.isEmpty }
    }
}
