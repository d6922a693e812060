import Hummingbird
import OSSProtocol

/// PutBucketLifecycle, GetBucketLifecycle and DeleteBucketLifecycle. The rules are checked and
/// stored here; ``LifecycleService`` applies them in the background.
extension OSSHandlers {
    /// Replaces the bucket's rules. Content-MD5 is checked when sent, not required (oss2 and the
    /// C SDK send none).
    func putBucketLifecycle(_ call: OSSCall, bucket: String) async throws -> Response {
        let configuration = try OSSLifecycleConfiguration(
            parsing: try await Self.smallBody(call, limit: 2 << 20),
            allowSameActionOverlap: call.header("x-oss-allow-same-action-overlap")?.lowercased() == "true")
        try await storage.setLifecycle(bucket, configuration.xml)
        return Self.empty(.ok)
    }

    /// 404 `NoSuchLifecycle` when the bucket has no rules.
    func bucketLifecycle(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let document = try await storage.bucket(bucket).lifecycle else { throw OSSError.noSuchLifecycle(bucket: bucket) }
        // Stored as PutBucketLifecycle accepted it (an overlap it allowed stays allowed).
        return Self.xmlResponse(try OSSLifecycleConfiguration(parsing: Array(document.utf8), allowSameActionOverlap: true))
    }

    /// 204, also when the bucket had no rules.
    func deleteBucketLifecycle(_ call: OSSCall, bucket: String) async throws -> Response {
        try await storage.setLifecycle(bucket, nil)
        return Self.empty(.noContent)
    }
}
