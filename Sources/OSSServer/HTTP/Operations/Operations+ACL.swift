import Hummingbird
import OSSProtocol

/// PutBucketACL, GetBucketACL, PutObjectACL and GetObjectACL (§3.5); what the ACLs allow is
/// ``OSSOperations/authorizeAnonymous(_:for:)``.
extension OSSOperations {
    func bucketACL(_ call: OSSCall, bucket: String) async throws -> Response {
        let acl = try await storage.bucketACL(bucket)
        return Self.xmlResponse(OSSAccessControlPolicy(owner: Self.owner, grant: acl.rawValue))
    }

    func putBucketACL(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let acl = try Self.bucketACLHeader(call) else {
            throw OSSError.invalidArgument(
                "PutBucketACL needs x-oss-acl: private, public-read or public-read-write.", name: OSSHeader.bucketACL,
                value: "")
        }
        try await storage.putBucketACL(bucket, acl: acl)
        return Self.empty(.ok)
    }

    func objectACL(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let acl = try await storage.objectACL(bucket: bucket, key: key)
        return Self.xmlResponse(OSSAccessControlPolicy(owner: Self.owner, grant: acl.rawValue))
    }

    func putObjectACL(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        guard let acl = try Self.objectACLHeader(call.oss) else {
            throw OSSError.invalidArgument(
                "PutObjectACL needs x-oss-object-acl: default, private, public-read or public-read-write.",
                name: OSSHeader.objectACL, value: "")
        }
        try await storage.putObjectACL(bucket: bucket, key: key, acl: acl)
        return Self.empty(.ok)
    }

    /// `x-oss-acl`, checked; `nil` when absent.
    static func bucketACLHeader(_ call: OSSCall) throws(OSSError) -> BucketACL? {
        guard let value = call.header(OSSHeader.bucketACL) else { return nil }
        guard let acl = BucketACL(rawValue: value) else {
            throw .invalidArgument(
                "no such bucket access control exists: use private, public-read or public-read-write.",
                name: OSSHeader.bucketACL, value: value)
        }
        return acl
    }

    /// `x-oss-object-acl`, checked; `nil` when absent.
    static func objectACLHeader(_ request: OSSRequest) throws(OSSError) -> ObjectACL? {
        guard let value = request.header(OSSHeader.objectACL) else { return nil }
        guard let acl = ObjectACL(rawValue: value) else {
            throw .invalidArgument(
                "no such object access control exists: use default, private, public-read or public-read-write.",
                name: OSSHeader.objectACL, value: value)
        }
        return acl
    }
}
