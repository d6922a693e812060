import Hummingbird
import OSSProtocol

/// PutBucketACL, GetBucketACL, PutObjectACL and GetObjectACL (§3.5); what the ACLs allow is
/// ``OSSHandlers/authorizeAnonymous(_:for:)``.
extension OSSHandlers {
    func bucketACL(_ call: OSSCall, bucket: String) async throws -> Response {
        let acl = try await storage.bucketACL(bucket)
        return Self.xmlResponse(OSSAccessControlPolicy(owner: Self.owner, grant: acl))
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
        let acl = try await storage.objectACL(bucket: bucket, key: key)
        return Self.xmlResponse(OSSAccessControlPolicy(owner: Self.owner, grant: acl))
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
    static func bucketACLHeader(_ request: OSSRequest) throws(OSSError) -> OSSBucketACL? {
        try aclHeader(request, OSSHeader.bucketACL, kind: "bucket")
    }

    /// `x-oss-object-acl`, checked; `nil` when absent.
    static func objectACLHeader(_ request: OSSRequest) throws(OSSError) -> OSSObjectACL? {
        try aclHeader(request, OSSHeader.objectACL, kind: "object")
    }

    /// One of the `ACL` spellings in header `name`, or `nil` when absent.
    private static func aclHeader<ACL: RawRepresentable & CaseIterable>(
        _ request: OSSRequest, _ name: String, kind: String
    ) throws(OSSError) -> ACL? where ACL.RawValue == String {
        guard let value = request.header(name) else { return nil }
        guard let acl = ACL(rawValue: value) else {
            let spellings = ACL.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument("no such \(kind) access control exists: use \(spellings).", name: name, value: value)
        }
        return acl
    }
}
