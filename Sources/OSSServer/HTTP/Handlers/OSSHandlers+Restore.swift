import Foundation
import Hummingbird
import OSSProtocol

/// RestoreObject: `POST /bkt/key?restore`, with an optional `RestoreRequest` body.
extension OSSHandlers {
    /// Starts a restore of an archived object (202), or extends a finished one (200). The object
    /// is readable once the restore completes (the server's restore delay, a few seconds by
    /// default) and for `Days` after that (1 by default; 1–7 for Archive, 1–365 for the cold
    /// classes, as OSS bounds them). HEAD and listings show the state (`x-oss-restore`,
    /// `RestoreInfo`).
    func restoreObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let body = try await Self.smallBody(call, limit: 64 << 10)
        let request = body.isEmpty ? OSSRestoreRequest() : try OSSRestoreRequest(parsing: body)
        if let tier = request.tier, !OSSRestoreRequest.tiers.contains(tier) {
            throw OSSError.invalidArgument(
                "Tier must be Expedited, Standard or Bulk.", name: "Tier", value: tier, ec: "0016-00000703")
        }
        let days = request.days ?? 1
        let versionID = Self.versionID(call)
        let object = try await storage.objectInfo(bucket: bucket, key: key, versionID: versionID)
        guard object.attributes.storageClass.isArchive else { throw OSSError.operationNotSupported() }
        let (limit, ec) = object.attributes.storageClass == .archive ? (7, "0016-00000708") : (365, "0016-00000704")
        guard (1...limit).contains(days) else {
            throw OSSError.invalidArgument("Days must be between 1 and \(limit).", name: "Days", value: String(days), ec: ec)
        }
        let (restored, started) = try await storage.restoreObject(bucket: bucket, key: key, versionID: versionID, days: days)
        return Self.empty(started ? .accepted : .ok, headers: Self.versionHeaders(restored))
    }
}
