import Hummingbird
import OSSProtocol

/// Block Public Access of a bucket (PutBucketPublicAccessBlock, GetBucketPublicAccessBlock,
/// DeleteBucketPublicAccessBlock): while on, public ACLs grant anonymous callers nothing
/// (``OSSHandlers/authorizeAnonymous(_:for:)``). GetBucketInfo reports it too.
extension OSSHandlers {
    func putBucketPublicAccessBlock(_ call: OSSCall, bucket: String) async throws -> Response {
        let configuration = try OSSPublicAccessBlockConfiguration(parsing: try await Self.smallBody(call, limit: 64 << 10))
        try await storage.setBlockPublicAccess(bucket, configuration.blockPublicAccess)
        return Self.empty(.ok)
    }

    /// After a delete it answers `false`, not 404, as OSS does.
    func bucketPublicAccessBlock(_ call: OSSCall, bucket: String) async throws -> Response {
        let record = try await storage.bucket(bucket)
        return Self.xmlResponse(OSSPublicAccessBlockConfiguration(blockPublicAccess: record.blocksPublicAccess))
    }

    func deleteBucketPublicAccessBlock(_ call: OSSCall, bucket: String) async throws -> Response {
        try await storage.setBlockPublicAccess(bucket, false)
        return Self.empty(.noContent)
    }
}
