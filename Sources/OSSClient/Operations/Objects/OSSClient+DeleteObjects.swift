import NIOCore
import OSSProtocol

extension OSSClient {
    /// Deletes an object (DeleteObject); deleting a missing key succeeds, as OSS does.
    public func deleteObject(bucket: String, key: String) async throws {
        try await performDiscardingBody(WireRequest("DeleteObject", .DELETE, bucket: bucket, key: key))
    }

    /// Deletes up to 1000 objects in one request (DeleteMultipleObjects). Missing keys are
    /// reported as deleted; in quiet mode the result lists nothing.
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` for an empty list or more than 1000 keys.
    public func deleteObjects(bucket: String, keys: [String], quiet: Bool = false) async throws -> OSSDeleteResult {
        guard !keys.isEmpty, keys.count <= OSSDeleteRequest.maximumObjects else {
            throw OSSClientError.invalidArgument(
                "DeleteMultipleObjects takes 1 to \(OSSDeleteRequest.maximumObjects) keys, not \(keys.count).")
        }
        let xml = OSSDeleteRequest(quiet: quiet, objects: keys.map { OSSDeleteRequest.Object(key: $0) }).xml
        var wire = WireRequest("DeleteMultipleObjects", .POST, bucket: bucket)
        wire.query("delete", "")
        wire.query("encoding-type", "url")
        wire.header("Content-Type", "application/xml")
        wire.header("Content-MD5", OSSContentMD5.value(for: Array(xml.utf8)))
        wire.body = .buffer(ByteBuffer(string: xml))
        let (_, body) = try await performCollecting(wire)
        return try body.decode("DeleteMultipleObjects", OSSDeleteResult.init(parsing:))
    }
}
