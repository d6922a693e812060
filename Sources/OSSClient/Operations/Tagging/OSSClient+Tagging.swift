import NIOCore
import OSSProtocol

extension OSSClient {
    /// Replaces an object's tags (PutObjectTagging). Tags, unlike metadata, change without
    /// rewriting the object, and lifecycle rules and ACL policies can select on them.
    /// - Throws: ``OSSClientError/service(_:)`` with `InvalidTag` for more than 10 tags or a key or
    ///   value that is too long or has a forbidden character, `NoSuchKey` for a missing object.
    public func putObjectTagging(bucket: String, key: String, tagging: OSSTagging) async throws {
        var wire = WireRequest("PutObjectTagging", .PUT, bucket: bucket, key: key)
        wire.query("tagging", "")
        let xml = tagging.xml
        wire.xmlBody(xml)
        try await performDiscardingBody(wire)
    }

    /// An object's tags (GetObjectTagging), ordered by key; empty when it has none.
    public func getObjectTagging(bucket: String, key: String) async throws -> OSSTagging {
        var wire = WireRequest("GetObjectTagging", .GET, bucket: bucket, key: key)
        wire.query("tagging", "")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("GetObjectTagging", OSSTagging.init(parsing:))
    }

    /// Removes all of an object's tags (DeleteObjectTagging); succeeds when it had none.
    public func deleteObjectTagging(bucket: String, key: String) async throws {
        var wire = WireRequest("DeleteObjectTagging", .DELETE, bucket: bucket, key: key)
        wire.query("tagging", "")
        try await performDiscardingBody(wire)
    }
}
