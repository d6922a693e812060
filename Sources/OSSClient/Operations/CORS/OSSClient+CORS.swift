import NIOCore
import OSSProtocol

extension OSSClient {
    /// Replaces a bucket's CORS rules (PutBucketCors): what browsers on other origins may do
    /// with it, for example upload through a presigned URL or a ``presignPostForm(_:)`` form
    /// from a page's script.
    public func putBucketCORS(_ bucket: String, configuration: OSSCORSConfiguration) async throws {
        let xml = configuration.xml
        var wire = WireRequest("PutBucketCors", .PUT, bucket: bucket)
        wire.query("cors", "")
        wire.xmlBody(xml)
        try await performDiscardingBody(wire)
    }

    /// A bucket's CORS rules (GetBucketCors).
    /// - Throws: ``OSSClientError/service(_:)`` with `NoSuchCORSConfiguration` when it has none.
    public func getBucketCORS(_ bucket: String) async throws -> OSSCORSConfiguration {
        var wire = WireRequest("GetBucketCors", .GET, bucket: bucket)
        wire.query("cors", "")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("GetBucketCors", OSSCORSConfiguration.init(parsing:))
    }

    /// Removes a bucket's CORS rules (DeleteBucketCors): cross-origin requests are refused again.
    public func deleteBucketCORS(_ bucket: String) async throws {
        var wire = WireRequest("DeleteBucketCors", .DELETE, bucket: bucket)
        wire.query("cors", "")
        try await performDiscardingBody(wire)
    }
}
