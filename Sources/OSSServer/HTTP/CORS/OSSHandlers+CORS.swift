import HTTPTypes
import Hummingbird
import OSSProtocol

/// PutBucketCors, GetBucketCors, DeleteBucketCors and the preflight `OPTIONS` browsers send
/// before a cross-origin request.
extension OSSHandlers {
    func putBucketCORS(_ call: OSSCall, bucket: String) async throws -> Response {
        var configuration = try OSSCORSConfiguration(parsing: try await Self.smallBody(call, limit: 64 << 10))
        // OSS keeps header names lower-cased (they match case-insensitively) and GetBucketCors
        // returns them so; Alibaba's C SDK compares what it reads back with that.
        for index in configuration.rules.indices {
            configuration.rules[index].allowedHeaders = configuration.rules[index].allowedHeaders.map { $0.lowercased() }
        }
        try await storage.setBucketCORS(bucket, cors: configuration.xml)
        return Self.empty(.ok)
    }

    func bucketCORS(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let configuration = try await corsConfiguration(of: bucket) else {
            throw OSSError.noSuchCORSConfiguration(bucket)
        }
        return Self.xmlResponse(configuration)
    }

    func deleteBucketCORS(_ call: OSSCall, bucket: String) async throws -> Response {
        try await storage.setBucketCORS(bucket, cors: nil)
        return Self.empty(.noContent)
    }

    /// Answers a preflight with the first rule that allows its origin, method and headers.
    /// - Throws: 400 `InvalidArgument` without `Origin` or `Access-Control-Request-Method`,
    ///   404 `NoSuchBucket`, 403 `AccessForbidden` when no rule allows the request.
    func preflight(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let origin = call.header("origin"), !origin.isEmpty else {
            throw OSSError.invalidArgument("A preflight needs an Origin header.", name: "Origin")
        }
        guard let method = call.header("access-control-request-method"), !method.isEmpty else {
            throw OSSError.invalidArgument(
                "A preflight needs an Access-Control-Request-Method header.", name: "Access-Control-Request-Method")
        }
        let requested = Self.headerList(call.header("access-control-request-headers"))
        guard let configuration = try await corsConfiguration(of: bucket),
            let rule = configuration.rule(origin: origin, method: method, requestHeaders: requested)
        else { throw OSSError.corsNotAllowed() }
        var headers = Self.corsHeaders(rule, origin: origin, vary: configuration.responseVary)
        if !requested.isEmpty { headers[.accessControlAllowHeaders] = requested.joined(separator: ", ") }
        return Self.empty(.ok, headers: headers)
    }

    /// The `Access-Control-*` headers an actual request from `origin` gets: none when the bucket
    /// has no rule allowing its method (the browser then withholds the response from the page).
    func corsHeaders(bucket: String, origin: String, method: String) async -> HTTPFields {
        guard let configuration = try? await corsConfiguration(of: bucket) else { return [:] }
        guard let rule = configuration.rule(origin: origin, method: method) else {
            return configuration.responseVary ? [.vary: "Origin"] : [:]
        }
        return Self.corsHeaders(rule, origin: origin, vary: configuration.responseVary)
    }

    private func corsConfiguration(of bucket: String) async throws -> OSSCORSConfiguration? {
        guard let document = try await storage.bucket(bucket).cors else { return nil }
        return try OSSCORSConfiguration(parsing: Array(document.utf8))
    }

    /// The headers every allowed response carries: the origin (`*` when the rule allows any
    /// origin, the request's own otherwise), the rule's methods and cache time, and the headers
    /// scripts may read.
    private static func corsHeaders(_ rule: OSSCORSConfiguration.Rule, origin: String, vary: Bool) -> HTTPFields {
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = rule.allowedOrigins.contains("*") ? "*" : origin
        headers[.accessControlAllowMethods] = rule.allowedMethods.joined(separator: ", ")
        if let maxAge = rule.maxAgeSeconds { headers[.accessControlMaxAge] = String(maxAge) }
        if !rule.exposeHeaders.isEmpty { headers[.accessControlExposeHeaders] = rule.exposeHeaders.joined(separator: ", ") }
        if vary || !rule.allowedOrigins.contains("*") { headers[.vary] = "Origin" }
        return headers
    }

    /// `a, b ,c` as `["a", "b", "c"]`, lowercased.
    static func headerList(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }
}
