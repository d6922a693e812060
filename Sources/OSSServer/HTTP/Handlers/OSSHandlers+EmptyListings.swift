import Foundation
import Hummingbird
import OSSProtocol

/// Listings of features this server does not have, answered as valid lists so that SDK code
/// probing for them (`list_live_channel`) works: there are no live channels.
extension OSSHandlers {
    /// ListLiveChannel (`GET /?live` on a bucket): no channels.
    func listLiveChannels(_ call: OSSCall, bucket: String?) async throws -> Response {
        if let bucket { _ = try await storage.bucket(bucket) }
        return Self.xmlResponse(
            OSSListLiveChannelResult(
                prefix: call.query("prefix") ?? "", marker: call.query("marker") ?? "",
                maxKeys: try Self.maxKeys(call)))
    }
}
