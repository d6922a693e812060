import Foundation
import Hummingbird
import OSSProtocol

/// PutBucketVersioning, GetBucketVersioning and ListObjectVersions. The version rules of every
/// other operation live in the storage engine; handlers read `versionId` and report
/// `x-oss-version-id`.
extension OSSHandlers {
    func putBucketVersioning(_ call: OSSCall, bucket: String) async throws -> Response {
        let configuration = try OSSVersioningConfiguration(parsing: try await Self.smallBody(call, limit: 64 << 10))
        // The parser accepts only the two states a bucket can be put in.
        guard let status = configuration.status else { throw OSSError.malformedXML("Status must be Enabled or Suspended.") }
        try await storage.setVersioning(bucket, status)
        return Self.empty(.ok)
    }

    /// No `Status` while versioning was never on, as OSS answers.
    func bucketVersioning(_ call: OSSCall, bucket: String) async throws -> Response {
        let record = try await storage.bucket(bucket)
        return Self.xmlResponse(OSSVersioningConfiguration(status: record.versioning))
    }

    /// ListObjectVersions (`GET /bkt/?versions`): by key, newest first within a key, paged by
    /// `key-marker` and `version-id-marker`. A bucket whose versioning was never on lists each
    /// object as its `null` version. Empty parameters count as absent (oss2 sends them all).
    func listObjectVersions(_ call: OSSCall, bucket: String) async throws -> Response {
        let maxKeys = try Self.maxKeys(call)
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter") ?? ""
        let keyMarker = call.query("key-marker") ?? ""
        let versionIDMarker = call.query("version-id-marker") ?? ""
        for (name, value) in [("prefix", prefix), ("delimiter", delimiter), ("key-marker", keyMarker), ("version-id-marker", versionIDMarker)]
        where value.utf8.count > 1024 {
            throw OSSError.invalidArgument("\(name) must be at most 1024 bytes.", name: name, value: value)
        }
        if !versionIDMarker.isEmpty, keyMarker.isEmpty {
            throw OSSError.invalidArgument(
                "A version-id-marker cannot be specified without a key-marker.", name: "version-id-marker", value: versionIDMarker)
        }
        let listing = try await storage.listObjectVersions(
            bucket: bucket,
            query: VersionListQuery(
                prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, versionIDMarker: versionIDMarker, maxKeys: maxKeys))
        let now = Date()
        let owner = try await owner(of: bucket)
        let entries = listing.versions.map { version -> OSSListVersionsResult.Entry in
            let object = version.object
            guard !version.isDeleteMarker else {
                return .deleteMarker(
                    .init(
                        key: object.key, versionID: version.versionID, isLatest: version.isLatest,
                        lastModified: object.lastModified, owner: owner))
            }
            return .version(
                OSSObjectSummary(
                    key: object.key, lastModified: object.lastModified, etag: object.etag, type: object.type,
                    size: Int64(object.size), storageClass: object.storageClass, owner: owner,
                    versionID: version.versionID, isLatest: version.isLatest, restoreInfo: object.restore?.header(at: now)))
        }
        return Self.xmlResponse(
            OSSListVersionsResult(
                name: bucket, prefix: prefix, keyMarker: keyMarker, versionIDMarker: versionIDMarker, maxKeys: maxKeys,
                delimiter: delimiter, encodingType: call.encodingType, isTruncated: listing.isTruncated,
                nextKeyMarker: listing.nextKeyMarker,
                nextVersionIDMarker: listing.isTruncated ? listing.nextVersionIDMarker ?? "" : nil,
                entries: entries, commonPrefixes: listing.commonPrefixes))
    }
}
