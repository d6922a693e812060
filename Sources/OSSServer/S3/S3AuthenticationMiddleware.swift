import Foundation
import Hummingbird
import OSSProtocol

/// Checks an S3 request's Signature V4 and hands on, in the context, the request as the
/// operations read it: its `x-amz-*` headers under their OSS names (``S3HeaderMapping``), its
/// body decoded and checked as `x-amz-content-sha256` and the checksum headers demand
/// (``S3RequestBody``).
///
/// Anonymous requests pass, as for OSS: the ACLs decide once the operation is known.
struct S3AuthenticationMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    let verifier: S3RequestVerifier
    let keys: Keyring
    /// Host names under which `<bucket>.<host>` is virtual-hosted addressing.
    let serviceHosts: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let pathAndQuery = request.head.path ?? "/"
        let target = try OSSRequestTarget(
            parsing: pathAndQuery, host: request.head.authority, serviceHosts: serviceHosts, cnames: [:])
        context.exchange.target = target
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        if let authority = request.head.authority { headers.append(("host", authority)) }
        let signed = OSSRequest(method: request.method.rawValue, target: target, headers: headers)
        let signature = try S3Signature(request: signed)
        let now = Date()
        let rawPath = String(pathAndQuery.prefix { $0 != "?" })
        let verified = try verifier.verify(
            signed, rawPath: rawPath, signature: signature,
            secret: Self.accessKeyID(of: signature).flatMap { keys.entry(for: $0)?.secret }, now: now)
        let principal = try verified.map { verified throws(OSSError) in
            try keys.principal(
                accessKeyID: verified.accessKeyID,
                securityToken: signed.header("x-amz-security-token") ?? signed.query.value(for: "X-Amz-Security-Token"),
                now: now)
        }
        context.exchange.signer = principal.map { .principal($0) } ?? .anonymous
        // CompleteMultipartUpload's x-amz-checksum-* is the whole object's, not its body's.
        let completes = request.method == .post && target.query.contains("uploadId")
        let body = try S3RequestBody(request: signed, payload: verified?.payload ?? .unsigned, checksumHeaders: !completes)
        var context = context
        context.authenticated = OSSRequestContext.Authenticated(
            request: S3Translation.ossRequest(from: signed, decodedLength: body.decodedLength), principal: principal,
            s3: body)
        var request = request
        request.body = body.wrap(request.body)
        return try await next(request, context)
    }

    private static func accessKeyID(of signature: S3Signature) -> String? {
        switch signature {
        case .anonymous: nil
        case .header(let fields), .presigned(let fields, _): fields.accessKeyID
        }
    }
}
