import Foundation
import OSSProtocol

extension OSSClient {
    /// Signs a URL that anyone can use, without credentials, until it expires (§2.3, §2.5).
    ///
    /// No request is sent. The credentials are read from the provider now, so the URL stops
    /// working if those keys are revoked.
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` for an expiry outside 1 s…7 days (V4).
    public func presign(_ request: OSSPresignRequest) async throws -> OSSPresignedRequest {
        let seconds = Int(request.expiresIn.components.seconds)
        let version = request.signatureVersion ?? configuration.signatureVersion
        if version == .v4, !(1...604_800).contains(seconds) {
            throw OSSClientError.invalidArgument("A V4 presigned URL expires after 1 to 604800 seconds, not \(seconds).")
        }
        guard seconds >= 1 else { throw OSSClientError.invalidArgument("The expiry must be at least one second.") }
        let headers = request.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        let query = request.query.sorted { $0.key < $1.key }.map { OSSQueryItem(name: $0.key, value: $0.value) }
        let description = OSSRequest(
            method: request.method.rawValue, bucket: request.bucket, key: request.key, query: query, headers: headers)
        let credentials = try await configuration.credentials.credentials()
        let now = Date()
        let signature: [OSSQueryItem]
        switch version {
        case .v1:
            signature = OSSSignatureV1.presignedQuery(
                for: description, credentials: credentials, expires: now.addingTimeInterval(TimeInterval(seconds)))
        case .v4:
            signature = OSSSignatureV4.presignedQuery(
                for: description, credentials: credentials, region: configuration.region, date: now,
                expiresIn: seconds)
        }
        return OSSPresignedRequest(
            method: request.method.rawValue, url: configuration.endpoint.url(for: description, extraQuery: signature),
            headers: request.headers, expiration: now.addingTimeInterval(TimeInterval(seconds)))
    }
}
