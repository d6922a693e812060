import Foundation
import OSSProtocol

/// HeadObject: which object, under which conditions.
public struct OSSHeadObjectRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// `If-Match`: fail with 412 unless the ETag matches.
    public var ifMatch: String?
    /// `If-None-Match`: fail with 304 when the ETag matches.
    public var ifNoneMatch: String?
    /// `If-Modified-Since`.
    public var ifModifiedSince: Date?
    /// `If-Unmodified-Since`.
    public var ifUnmodifiedSince: Date?
    /// The version to describe (`versionId`); `nil` for the latest.
    public var versionID: String?

    /// Creates a request.
    public init(
        bucket: String, key: String, ifMatch: String? = nil, ifNoneMatch: String? = nil,
        ifModifiedSince: Date? = nil, ifUnmodifiedSince: Date? = nil, versionID: String? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
        self.versionID = versionID
    }
}

extension OSSClient {
    /// An object's headers without its body (HeadObject): size, ETag, whole-object CRC, metadata.
    /// - Throws: ``OSSClientError/service(_:)``, with the code decoded from `x-oss-err`
    ///   (`NoSuchKey` and `NoSuchBucket` stay distinguishable).
    public func headObject(_ request: OSSHeadObjectRequest) async throws -> OSSObjectMetadata {
        let get = OSSGetObjectRequest(
            bucket: request.bucket, key: request.key, ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch,
            ifModifiedSince: request.ifModifiedSince, ifUnmodifiedSince: request.ifUnmodifiedSince,
            versionID: request.versionID)
        let response = try await performDiscardingBody(get.wire("HeadObject", method: .head))
        return try OSSObjectMetadata(headers: response.headers)
    }

    /// An object's headers.
    public func headObject(bucket: String, key: String) async throws -> OSSObjectMetadata {
        try await headObject(OSSHeadObjectRequest(bucket: bucket, key: key))
    }

    /// The light-weight metadata of an object (GetObjectMeta): size, ETag, CRC, times.
    public func getObjectMeta(bucket: String, key: String) async throws -> OSSObjectMeta {
        var wire = WireRequest("GetObjectMeta", .HEAD, bucket: bucket, key: key)
        wire.query("objectMeta", "")
        let response = try await performDiscardingBody(wire)
        return OSSObjectMeta(
            size: response.header("Content-Length").flatMap { Int64($0) } ?? 0, etag: response.header("ETag") ?? "",
            lastModified: response.header("Last-Modified").flatMap(OSSDateFormat.date(httpDate:)),
            crc64: try response.crc64(),
            lastAccessTime: response.header(OSSHeader.lastAccessTime).flatMap(OSSDateFormat.date(httpDate:)))
    }

    /// Whether an object exists: `false` for `NoSuchKey`; any other error (`NoSuchBucket`
    /// included) is thrown, so a typo in the bucket is not mistaken for absence.
    public func objectExists(bucket: String, key: String) async throws -> Bool {
        do {
            _ = try await getObjectMeta(bucket: bucket, key: key)
            return true
        } catch let error as OSSClientError where error.serviceCode == "NoSuchKey" {
            return false
        }
    }
}
