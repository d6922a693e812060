import Hummingbird
import NIOCore
import OSSProtocol

/// PutBucketPolicy, GetBucketPolicy and DeleteBucketPolicy; what a policy allows and denies is
/// ``OSSHandlers/authorize(_:for:)``.
extension OSSHandlers {
    /// The policy is checked whole before it is stored; GetBucketPolicy returns it as sent.
    func putBucketPolicy(_ call: OSSCall, bucket: String) async throws -> Response {
        let body = try await Self.smallBody(call, limit: OSSBucketPolicy.maximumSize)
        let policy = try OSSBucketPolicy(json: String(decoding: body, as: UTF8.self), bucket: bucket)
        try await storage.setBucketDocument(bucket, .policy, policy.text)
        return Self.empty(.ok)
    }

    func bucketPolicy(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let text = try await storage.bucketDocument(bucket, .policy) else {
            throw OSSError.noSuchBucketPolicy(bucket)
        }
        var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = "application/json"
        response.headers[.contentLength] = String(text.utf8.count)
        return response
    }
}
