import Hummingbird
import OSSProtocol

/// Listings of features this server does not have, answered as valid empty lists so that SDK
/// code probing for them (`list_object_versions`, `list_live_channel`) sees "none" rather than
/// an error.
extension OSSOperations {
    /// ListObjectVersions (`GET /bkt/?versions`): no versioned objects and no delete markers.
    func listObjectVersions(_ call: OSSCall, bucket: String) async throws -> Response {
        _ = try await storage.bucket(bucket)
        return Self.xmlResponse(
            OSSListVersionsResult(
                name: bucket, prefix: call.query("prefix") ?? "", keyMarker: call.query("key-marker") ?? "",
                versionIDMarker: call.query("version-id-marker") ?? "",
                maxKeys: try Self.intParameter(call, "max-keys", default: 100, range: 1...1000),
                delimiter: call.query("delimiter") ?? "", encodingType: call.encodingType))
    }

    /// ListLiveChannel (`GET /?live` on a bucket): no channels.
    func listLiveChannels(_ call: OSSCall, bucket: String?) async throws -> Response {
        if let bucket { _ = try await storage.bucket(bucket) }
        return Self.xmlResponse(
            OSSListLiveChannelResult(
                prefix: call.query("prefix") ?? "", marker: call.query("marker") ?? "",
                maxKeys: try Self.intParameter(call, "max-keys", default: 100, range: 1...1000)))
    }
}
