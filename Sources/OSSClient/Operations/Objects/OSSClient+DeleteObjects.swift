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

    /// Deletes up to 1000 objects in one request (DeleteMultipleObjects). Missing keys are
    /// reported as deleted; in quiet mode the result lists nothing.
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` for an empty list or more than 1000 keys.
    public func deleteObjects(bucket: String, keys: [String], quiet: Bool = false) async throws -> OSSDeleteResult {
        try await deleteObjects(bucket: bucket, objects: keys.map { OSSDeleteRequest.Object(key: $0) }, quiet: quiet)
    }

    /// Deletes up to 1000 objects or versions in one request (DeleteMultipleObjects): an entry
    /// with a version id removes that version for good; one without deletes as DeleteObject does
    /// (leaving a delete marker in a bucket with versioning, reported in its `Deleted` entry).
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` for an empty list or more than 1000 entries.
    public func deleteObjects(bucket: String, objects: [OSSDeleteRequest.Object], quiet: Bool = false) async throws
        -> OSSDeleteResult
    {
        guard !objects.isEmpty, objects.count <= OSSDeleteRequest.maximumObjects else {
            throw OSSClientError.invalidArgument(
                "DeleteMultipleObjects takes 1 to \(OSSDeleteRequest.maximumObjects) keys, not \(objects.count).")
        }
        let xml = OSSDeleteRequest(quiet: quiet, objects: objects).xml
        var wire = WireRequest("DeleteMultipleObjects", .POST, bucket: bucket)
        wire.query("delete", "")
        wire.query("encoding-type", "url")
        wire.xmlBody(xml)
        let (_, body) = try await performCollecting(wire)
        return try body.decode("DeleteMultipleObjects", OSSDeleteResult.init(parsing:))
    }
}
