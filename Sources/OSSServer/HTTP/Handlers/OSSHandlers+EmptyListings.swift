import Foundation
import Hummingbird
import OSSProtocol

/// Listings of features this server does not have, answered as valid lists so that SDK code
/// probing for them (`list_object_versions`, `list_live_channel`) works: versions are the
/// objects themselves, live channels none.
extension OSSHandlers {
    /// ListObjectVersions (`GET /bkt/?versions`): versioning is never on here, so every object is
    /// listed as its one `null` version (as OSS lists an unversioned bucket), paged by
    /// `key-marker` through the same storage query as ListObjects.
    func listObjectVersions(_ call: OSSCall, bucket: String) async throws -> Response {
        let maxKeys = try Self.maxKeys(call)
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let keyMarker = call.query("key-marker") ?? ""
        let listing = try await storage.listObjects(
            bucket: bucket,
            query: ObjectListQuery(prefix: prefix, delimiter: delimiter, marker: keyMarker.isEmpty ? nil : keyMarker, maxKeys: maxKeys))
        let now = Date()
        return Self.xmlResponse(
            OSSListVersionsResult(
                name: bucket, prefix: prefix, keyMarker: keyMarker, versionIDMarker: call.query("version-id-marker") ?? "",
                maxKeys: maxKeys, delimiter: delimiter ?? "", encodingType: call.encodingType,
                isTruncated: listing.isTruncated, nextKeyMarker: listing.isTruncated ? listing.nextMarker : nil,
                nextVersionIDMarker: listing.isTruncated ? "null" : nil,
                versions: listing.objects.map { object in
                    OSSObjectSummary(
                        key: object.key, lastModified: object.lastModified, etag: object.etag, type: object.type,
                        size: Int64(object.size), storageClass: object.storageClass, owner: Self.owner,
                        restoreInfo: object.restore?.header(at: now))
                },
                commonPrefixes: listing.commonPrefixes))
    }

    /// ListLiveChannel (`GET /?live` on a bucket): no channels.
    func listLiveChannels(_ call: OSSCall, bucket: String?) async throws -> Response {
        if let bucket { _ = try await storage.bucket(bucket) }
        return Self.xmlResponse(
            OSSListLiveChannelResult(
                prefix: call.query("prefix") ?? "", marker: call.query("marker") ?? "",
                maxKeys: try Self.maxKeys(call)))
    }
}
