import Foundation
import Hummingbird
import OSSProtocol

/// Reads what the request addresses (bucket, key, query; path-style, virtual-hosted or CNAME),
/// checks its signature (V1 or V4, header or presigned) and security token, and hands the result
/// on in the context. Anonymous requests pass: the handlers decide once they know the ACLs (§2.7).
///
/// A request that fails here for a bucket that does not exist answers `NoSuchBucket` instead, as
/// OSS does (it looks the bucket up before it judges the signature, an unknown AccessKeyId
/// included): alibabacloud_oss_v2's `is_bucket_exist` and `is_object_exist` tell a missing bucket
/// by it. PutBucket and PutBucketAcl, which may address a bucket yet to be made, keep their
/// signature error.
struct OSSAuthenticationMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    let verifier: OSSRequestVerifier
    let keys: Keyring
    /// Host names under which `<bucket>.<host>` is virtual-hosted addressing.
    let serviceHosts: [String]
    /// Custom domains bound to a bucket, lowercased host → bucket.
    let cnames: [String: String]
    /// Answers whether a bucket exists, for requests that fail authentication.
    let bucketExists: @Sendable (String) async -> Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let target = try OSSRequestTarget(
            parsing: request.head.path ?? "/", host: request.head.authority, serviceHosts: serviceHosts, cnames: cnames)
        context.exchange.target = target
        let ossRequest = OSSRequest(
            method: request.method.rawValue, target: target,
            headers: request.headers.map { (name: $0.name.rawName, value: $0.value) })
        let principal: OSSPrincipal?
        do {
            principal = try authenticate(ossRequest)
        } catch {
            if let bucket = target.bucket, !Self.mayCreate(request, target: target), await !bucketExists(bucket) {
                throw OSSError.noSuchBucket(bucket)
            }
            throw error
        }
        context.exchange.signer = principal.map { .principal($0) } ?? .anonymous
        var context = context
        context.authenticated = OSSRequestContext.Authenticated(request: ossRequest, principal: principal)
        return try await next(request, context)
    }

    /// Who signed the request, once its signature, key and token hold; `nil` for an anonymous
    /// request.
    private func authenticate(_ ossRequest: OSSRequest) throws(OSSError) -> OSSPrincipal? {
        let now = Date()
        let authentication = try OSSRequestAuthentication(request: ossRequest)
        // A disabled key's signature is still checked first: only its holder learns it is disabled.
        let signer = try verifier.verify(
            ossRequest, authentication: authentication, secret: authentication.accessKeyID.flatMap { keys.entry(for: $0)?.secret },
            now: now)
        guard let signer else { return nil }
        return try keys.principal(accessKeyID: signer, securityToken: authentication.securityToken(of: ossRequest), now: now)
    }

    /// Whether the request is PutBucket or PutBucketAcl, which may name a bucket that does not
    /// exist yet.
    private static func mayCreate(_ request: Request, target: OSSRequestTarget) -> Bool {
        let operation = try? OSSOperation(
            method: request.method, bucket: target.bucket, key: target.key, query: target.query, copySource: false)
        return operation == .createBucket || operation == .putBucketACL
    }
}
