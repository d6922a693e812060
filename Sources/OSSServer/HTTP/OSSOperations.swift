import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OSSProtocol

/// The OSS operations over the storage engine. Routing follows §3.2: service, bucket or object
/// by the path, then sub-resources in the documented precedence, then the verb.
struct OSSOperations: Sendable {
    let storage: ObjectStorage
    /// `oss-<region>`, as bucket locations read.
    let location: String
    let logger: Logger

    func route(_ call: OSSCall) async throws -> Response {
        let method = call.request.method
        guard let bucket = call.bucket else {
            guard method == .get else { throw OSSError.methodNotAllowed(method: method.rawValue, resourceType: "Service") }
            return try await listBuckets(call)
        }
        guard let key = call.key else { return try await routeBucket(call, bucket: bucket) }
        try OSSNames.validateObjectKey(key)
        return try await routeObject(call, bucket: bucket, key: key)
    }

    func routeBucket(_ call: OSSCall, bucket: String) async throws -> Response {
        switch call.request.method {
        case .put:
            guard !Self.unsupportedSubresource(call) else { throw Self.unsupported(call) }
            return try await createBucket(call, bucket: bucket)
        case .delete:
            guard !Self.unsupportedSubresource(call) else { throw Self.unsupported(call) }
            return try await deleteBucket(call, bucket: bucket)
        case .get, .head:
            if call.has("bucketInfo") { return try await bucketInfo(call, bucket: bucket) }
            if call.has("location") { return try await bucketLocation(call, bucket: bucket) }
            if call.has("uploads") { return try await listMultipartUploads(call, bucket: bucket) }
            guard !Self.unsupportedSubresource(call) else { throw Self.unsupported(call) }
            return try await listObjects(call, bucket: bucket, version: call.query("list-type") == "2" ? .v2 : .v1)
        case .post:
            if call.has("delete") { return try await deleteMultipleObjects(call, bucket: bucket) }
            throw Self.unsupported(call)
        default:
            throw OSSError.methodNotAllowed(method: call.request.method.rawValue, resourceType: "Bucket")
        }
    }

    func routeObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let method = call.request.method
        if call.has("uploads") {
            guard method == .post else { throw OSSError.methodNotAllowed(method: method.rawValue, resourceType: "Object") }
            return try await initiateMultipartUpload(call, bucket: bucket, key: key)
        }
        if let uploadID = call.query("uploadId") {
            switch method {
            case .put where call.has("partNumber"):
                if call.header(OSSHeader.copySource) != nil {
                    return try await uploadPartCopy(call, bucket: bucket, key: key, uploadID: uploadID)
                }
                return try await uploadPart(call, bucket: bucket, key: key, uploadID: uploadID)
            case .post: return try await completeMultipartUpload(call, bucket: bucket, key: key, uploadID: uploadID)
            case .delete: return try await abortMultipartUpload(call, bucket: bucket, key: key, uploadID: uploadID)
            case .get: return try await listParts(call, bucket: bucket, key: key, uploadID: uploadID)
            default: throw OSSError.methodNotAllowed(method: method.rawValue, resourceType: "MultipartUpload")
            }
        }
        if call.has("objectMeta") {
            guard method == .head || method == .get else {
                throw OSSError.methodNotAllowed(method: method.rawValue, resourceType: "Object")
            }
            return try await objectMeta(call, bucket: bucket, key: key)
        }
        // Sub-resources of the complete-surface issue (append, acl, tagging, symlink, …) must
        // never fall through to a plain write.
        guard !Self.unsupportedSubresource(call) else { throw Self.unsupported(call) }
        switch method {
        case .put:
            if call.header(OSSHeader.copySource) != nil { throw Self.unsupported(call, what: "CopyObject") }
            return try await putObject(call, bucket: bucket, key: key)
        case .get: return try await getObject(call, bucket: bucket, key: key, headOnly: false)
        case .head: return try await getObject(call, bucket: bucket, key: key, headOnly: true)
        case .delete: return try await deleteObject(call, bucket: bucket, key: key)
        default: throw OSSError.methodNotAllowed(method: method.rawValue, resourceType: "Object")
        }
    }

    /// Query parameters that only ever select a sub-resource, and that this server does not serve yet.
    static let reservedSubresources: Set<String> = [
        "acl", "append", "position", "tagging", "symlink", "restore", "versioning", "versions", "versionId",
        "lifecycle", "cors", "website", "logging", "referer", "policy", "encryption", "worm", "replication",
        "inventory", "qos", "stat", "live", "x-oss-process", "callback", "cname", "transferAcceleration",
        "objectInfo", "requestPayment", "resourceGroup", "style", "tags", "metaQuery", "accessPoint",
    ]

    static func unsupportedSubresource(_ call: OSSCall) -> Bool {
        call.oss.query.contains { reservedSubresources.contains($0.name) }
    }

    static func unsupported(_ call: OSSCall, what: String? = nil) -> OSSError {
        let name = what ?? call.oss.query.first { reservedSubresources.contains($0.name) }?.name ?? call.request.method.rawValue
        return OSSError(
            code: "NotImplemented", status: 501,
            message: "\(name) is not implemented by this server yet.",
            details: [(name: "Operation", value: name)])
    }
}
