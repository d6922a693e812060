import Hummingbird
import OSSProtocol

/// PutBucketACL, GetBucketACL, PutObjectACL and GetObjectACL (§3.5); what the ACLs allow is
/// ``OSSHandlers/authorize(_:for:)``.
extension OSSHandlers {
    func bucketACL(_ call: OSSCall, bucket: String) async throws -> Response {
        let acl = try await storage.bucketACL(bucket)
        return Self.xmlResponse(OSSAccessControlPolicy(owner: try await owner(of: bucket), grant: acl))
    }

    func putBucketACL(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let acl = try Self.bucketACLHeader(call.oss) else {
            throw OSSError.invalidArgument(
                "PutBucketACL needs x-oss-acl: private, public-read or public-read-write.", name: OSSHeader.bucketACL,
                value: "")
        }
        try await storage.putBucketACL(bucket, acl: acl)
        return Self.empty(.ok)
    }

    func objectACL(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let object = try await storage.objectACL(bucket: bucket, key: key, versionID: Self.versionID(call))
        return Self.xmlResponse(
            OSSAccessControlPolicy(owner: try await owner(of: bucket), grant: object.attributes.acl),
            headers: Self.versionHeaders(object))
    }

    func putObjectACL(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        guard let acl = try Self.objectACLHeader(call.oss) else { throw OSSError.missingArgument(OSSHeader.objectACL) }
        let object = try await storage.putObjectACL(bucket: bucket, key: key, versionID: Self.versionID(call), acl: acl)
        return Self.empty(.ok, headers: Self.versionHeaders(object))
    }

    /// `x-oss-acl`, checked; `nil` when absent.
    static func bucketACLHeader(_ request: OSSRequest) throws(OSSError) -> OSSBucketACL? {
        guard let value = request.header(OSSHeader.bucketACL) else { return nil }
        guard let acl = OSSBucketACL(rawValue: value) else { throw .invalidBucketACL(value) }
        return acl
    }

    /// `x-oss-object-acl`, checked; `nil` when absent.
    static func objectACLHeader(_ request: OSSRequest) throws(OSSError) -> OSSObjectACL? {
        guard let value = request.header(OSSHeader.objectACL) else { return nil }
        guard let acl = OSSObjectACL(rawValue: value) else { throw .invalidObjectACL(value) }
        return acl
    }
}
