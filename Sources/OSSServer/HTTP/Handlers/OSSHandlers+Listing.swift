import Foundation
import Hummingbird
import OSSProtocol

extension OSSHandlers {
    /// ListObjects (V1) and ListObjectsV2. V2's continuation token is the next marker in
    /// ``ListingToken``'s form, so V1 and V2 page through the same storage query.
    func listObjects(_ call: OSSCall, bucket: String, version: OSSListBucketResult.Version) async throws -> Response {
        let maxKeys = try Self.maxKeys(call)
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        var marker: String?
        var token: String?
        var startAfter: String?
        switch version {
        case .v1:
            marker = call.query("marker").flatMap { $0.isEmpty ? nil : $0 }
        case .v2:
            token = call.query("continuation-token").flatMap { $0.isEmpty ? nil : $0 }
            startAfter = call.query("start-after").flatMap { $0.isEmpty ? nil : $0 }
            if let token {
                guard let decoded = ListingToken.marker(from: token) else {
                    throw OSSError.invalidArgument("The continuation token is not valid.", name: "continuation-token", value: token)
                }
                marker = decoded
            } else {
                marker = startAfter
            }
        }
        let listing = try await storage.listObjects(
            bucket: bucket, query: ObjectListQuery(prefix: prefix, delimiter: delimiter, marker: marker, maxKeys: maxKeys))
        let owner = version == .v1 || call.query("fetch-owner") == "true" ? try await owner(of: bucket) : nil
        let next = listing.isTruncated ? listing.nextMarker : nil
        let now = Date()
        return Self.xmlResponse(
            OSSListBucketResult(
                version: version, name: bucket, prefix: prefix, marker: version == .v1 ? marker ?? "" : "",
                startAfter: startAfter, continuationToken: token, maxKeys: maxKeys, delimiter: delimiter ?? "",
                encodingType: call.encodingType, isTruncated: listing.isTruncated,
                nextMarker: version == .v1 ? next : nil,
                nextContinuationToken: version == .v2 ? next.map(ListingToken.token(for:)) : nil,
                contents: listing.objects.map { object in
                    OSSObjectSummary(
                        key: object.key, lastModified: object.lastModified, etag: object.etag, type: object.type,
                        size: Int64(object.size), storageClass: object.storageClass, owner: owner,
                        restoreInfo: object.restore?.header(at: now), crc64: object.crc64)
                },
                commonPrefixes: listing.commonPrefixes))
    }
}

/// ListObjectsV2's continuation token: the next marker in base64url without padding.
///
/// An alphabet that URL encoding leaves as it is: the token reads the same whether a client
/// (or the response, under `encoding-type=url`) percent-encodes it or not. Standard base64 broke
/// on exactly that: its `=` and `+` came back encoded from one SDK and decoded by another.
/// Tokens in standard base64, as earlier versions issued them, are still read.
enum ListingToken {
    static func token(for marker: String) -> String {
        Data(marker.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The marker of a token; `nil` when it is not one.
    static func marker(from token: String) -> String? {
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: text) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
