import NIOCore
import OSSProtocol

/// What DeleteObject did: in a bucket with versioning, which version it removed or which delete
/// marker it created.
public struct OSSDeleteObjectResult: Sendable, Hashable {
    /// The version removed (when one was named) or the delete marker created; `nil` in a bucket
    /// whose versioning was never on.
    public var versionID: String?
    /// Whether a delete marker was created, or was the version removed.
    public var deleteMarker: Bool
    /// The request id, for support.
    public var requestID: String?
}

extension OSSClient {
    /// Turns versioning on (`.enabled`) or suspends it (PutBucketVersioning). Once enabled, a
    /// bucket keeps every version it wrote until they are deleted by id; it can be suspended but
    /// never returns to having no versioning.
    public func putBucketVersioning(_ bucket: String, status: OSSVersioningStatus) async throws {
        let xml = OSSVersioningConfiguration(status: status).xml
        var wire = WireRequest("PutBucketVersioning", .PUT, bucket: bucket)
        wire.query("versioning", "")
        wire.xmlBody(xml)
        try await performDiscardingBody(wire)
    }

    /// The bucket's versioning (GetBucketVersioning); `nil` while it was never turned on.
    public func getBucketVersioning(_ bucket: String) async throws -> OSSVersioningStatus? {
        var wire = WireRequest("GetBucketVersioning", .GET, bucket: bucket)
        wire.query("versioning", "")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("GetBucketVersioning", OSSVersioningConfiguration.init(parsingResponse:)).status
    }

    /// Deletes an object (DeleteObject); deleting a missing key succeeds, as OSS does. In a
    /// bucket with versioning, a delete without `versionID` leaves a delete marker, and one with
    /// `versionID` removes that version for good.
    @discardableResult
    public func deleteObject(bucket: String, key: String, versionID: String? = nil) async throws -> OSSDeleteObjectResult {
        var wire = WireRequest("DeleteObject", .DELETE, bucket: bucket, key: key)
        wire.query("versionId", versionID)
        let response = try await performDiscardingBody(wire)
        return OSSDeleteObjectResult(
            versionID: response.header(OSSHeader.versionID),
            deleteMarker: response.header(OSSHeader.deleteMarker)?.lowercased() == "true", requestID: response.requestID)
    }
}
