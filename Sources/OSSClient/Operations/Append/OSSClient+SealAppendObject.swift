import Foundation

extension OSSClient {
    /// Seals an Appendable object whose length is `position` (SealAppendObject): it takes no
    /// more appends (`AppendSealedObjectNotAllowed`). Sealing again changes nothing.
    ///
    /// - Returns: when the object was first sealed (`x-oss-sealed-time`).
    /// - Throws: `PositionNotEqualToLength` or `ObjectNotAppendable` (409), `NoSuchKey` (404).
    @discardableResult
    public func sealAppendObject(bucket: String, key: String, position: Int64) async throws -> Date? {
        var wire = WireRequest("SealAppendObject", .POST, bucket: bucket, key: key)
        wire.query("seal", "")
        wire.query("position", String(position))
        let (response, _) = try await performCollecting(wire)
        return response.header(OSSHeader.sealedTime).flatMap(OSSDateFormat.date(httpDate:))
    }
}
