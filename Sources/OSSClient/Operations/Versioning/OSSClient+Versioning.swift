import OSSProtocol

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
}
