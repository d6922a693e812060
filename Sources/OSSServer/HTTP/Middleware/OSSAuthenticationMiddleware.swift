import Foundation
import Hummingbird
import OSSProtocol

/// Reads what the request addresses (bucket, key, query; path-style, virtual-hosted or CNAME),
/// checks its signature (V1 or V4, header or presigned) and security token, and hands the result
/// on in the context. Anonymous requests pass: the handlers decide once they know the ACLs (§2.7).
struct OSSAuthenticationMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    let verifier: OSSRequestVerifier
    let keys: AccessKeys
    /// Host names under which `<bucket>.<host>` is virtual-hosted addressing.
    let serviceHosts: [String]
    /// Custom domains bound to a bucket, lowercased host → bucket.
    let cnames: [String: String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let target = try OSSRequestTarget(
            parsing: request.head.path ?? "/", host: request.head.authority, serviceHosts: serviceHosts, cnames: cnames)
        context.exchange.target = target
        let ossRequest = OSSRequest(
            method: request.method.rawValue, target: target,
            headers: request.headers.map { (name: $0.name.rawName, value: $0.value) })
        let now = Date()
        let authentication = try OSSRequestAuthentication(request: ossRequest)
        let principal = try verifier.verify(
            ossRequest, authentication: authentication, secret: authentication.accessKeyID.flatMap(keys.secret(for:)),
            now: now)
        if let principal {
            try keys.checkSecurityToken(authentication.securityToken(of: ossRequest), accessKeyID: principal, now: now)
        }
        var context = context
        context.authenticated = OSSRequestContext.Authenticated(request: ossRequest, principal: principal)
        return try await next(request, context)
    }
}
