import Hummingbird
import OSSProtocol

/// One request as the operations see it: the Hummingbird request (for the body), its OSS
/// description (decoded bucket, key, query, headers), who signed it, and the context.
struct OSSCall: Sendable {
    let request: Request
    let oss: OSSRequest
    let context: OSSRequestContext
    /// Who signed the request (header or URL signature), or `nil` for an anonymous request,
    /// which the ACLs must allow (§2.7).
    let principal: OSSPrincipal?
    /// For a request that came in through the S3 API, how its body is checked; `nil` for OSS.
    var s3: S3RequestBody? = nil

    var bucket: String? { oss.bucket }
    var key: String? { oss.key }
    var isAnonymous: Bool { principal == nil }
    func query(_ name: String) -> String? { oss.query.first { $0.name == name }?.value }
    func has(_ name: String) -> Bool { oss.query.contains { $0.name == name } }
    func header(_ name: String) -> String? { oss.header(name) }

    /// `url` for `encoding-type=url`, else `nil`: response documents encode names only for `url`.
    var encodingType: String? { query("encoding-type") == "url" ? "url" : nil }
}
