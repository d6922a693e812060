import Hummingbird
import OSSProtocol

/// Block Public Access of the signer's account (PutPublicAccessBlock, … on the service: every
/// bucket it owns) and of a bucket (PutBucketPublicAccessBlock, …): while either is on, public
/// ACLs grant nobody but the owner anything (``OSSHandlers/authorize(_:for:)``). GetBucketInfo
/// reports the bucket's.
extension OSSHandlers {
    func putPublicAccessBlock(_ call: OSSCall) async throws -> Response {
        let configuration = try OSSPublicAccessBlockConfiguration(parsing: try await Self.smallBody(call, limit: 64 << 10))
        try await storage.setAccountBlocksPublicAccess(configuration.blockPublicAccess, user: try Self.user(call))
        return Self.empty(.ok)
    }

    func publicAccessBlock(_ call: OSSCall) async throws -> Response {
        let blocks = try await storage.accountBlocksPublicAccess(user: try Self.user(call))
        return Self.xmlResponse(OSSPublicAccessBlockConfiguration(blockPublicAccess: blocks))
    }

    func deletePublicAccessBlock(_ call: OSSCall) async throws -> Response {
        try await storage.setAccountBlocksPublicAccess(false, user: try Self.user(call))
        return Self.empty(.noContent)
    }

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
