import NIOCore

extension OSSClient {
    /// Restores an archived object (RestoreObject) so that it can be read for `days`; HEAD shows
    /// the progress in ``OSSObjectMetadata/restore``.
    ///
    /// - Parameters:
    ///   - days: how long it stays readable once restored; the server's default (1) when `nil`.
    ///   - tier: `Expedited`, `Standard` or `Bulk` (cold archive classes).
    /// - Returns: `true` when a restore started (202), `false` when a finished one was extended (200).
    /// - Throws: `RestoreAlreadyInProgress` (409), `OperationNotSupported` (400) for an object
    ///   outside the archive classes, `NoSuchKey`.
    @discardableResult
    public func restoreObject(bucket: String, key: String, days: Int? = nil, tier: String? = nil) async throws -> Bool {
        var wire = WireRequest("RestoreObject", .POST, bucket: bucket, key: key)
        wire.query("restore", "")
        if days != nil || tier != nil {
            let xml = OSSRestoreRequest(days: days, tier: tier).xml
            wire.xmlBody(xml)
        }
        let (response, _) = try await performCollecting(wire)
        return response.status == 202
    }
}
