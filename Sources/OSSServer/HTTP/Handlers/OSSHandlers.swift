import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTPTypes
import OSSProtocol

/// The handlers of the OSS operations over the storage engine: name the operation a request is
/// (``OSSOperation``), let ownership and the ACLs decide whether the caller may, then run its
/// handler.
struct OSSHandlers: Sendable {
    let storage: ObjectStorage
    /// `oss-<region>`, as bucket locations read.
    let location: String
    /// The key pairs requests are signed with; PostObject forms are signed outside the
    /// request headers, so the operation checks them itself.
    let keys: Keyring
    let logger: Logger

    func handle(_ call: OSSCall) async throws -> Response {
        let operation = try await admit(call)
        guard call.isAnonymous, [.listObjects, .getObject, .headObject].contains(operation) else {
            return try await perform(operation, call)
        }
        return try await servingWebsite(operation, call)
    }

    /// Names the operation a request is, checks its key, lets access control decide, and asks
    /// for the body of an `Expect: 100-continue` request once all that passed: what every
    /// request goes through, OSS's and S3's alike, before its operation runs.
    func admit(_ call: OSSCall) async throws -> OSSOperation {
        let operation = try OSSOperation(
            method: call.request.method, bucket: call.bucket, key: call.key, query: call.oss.query,
            copySource: call.header(OSSHeader.copySource) != nil)
        call.context.exchange.operation = operation
        if let key = call.key, !(operation.onlyReads && key.hasPrefix("/") && OSSNames.isValidObjectKey(String(key.dropFirst()))) {
            // A read of a key with a leading slash, which no write can create, is simply a
            // missing key (404), as OSS answers it; every other bad name is refused.
            try OSSNames.validateObjectKey(key)
        }
        try await authorize(call, for: operation)
        if operation != .preflight, operation != .postObject { try await checkReferer(call) }
        if operation.readsBody, call.header("expect")?.lowercased() == "100-continue" {
            // Authenticated, routed and allowed: now the body is wanted. A request refused before
            // this point never asked the client for its body (what Expect is for), and its early
            // answer closes the connection (``UnreadBodyCloser``).
            try await call.context.channel.writeAndFlush(HTTPResponsePart.head(HTTPResponse(status: .continue)))
        }
        return operation
    }

    func perform(_ operation: OSSOperation, _ call: OSSCall) async throws -> Response {
        let bucket = call.bucket ?? ""
        let key = call.key ?? ""
        switch operation {
        case .listBuckets: return try await listBuckets(call)
        case .putPublicAccessBlock: return try await putPublicAccessBlock(call)
        case .getPublicAccessBlock: return try await publicAccessBlock(call)
        case .deletePublicAccessBlock: return try await deletePublicAccessBlock(call)
        case .createBucket: return try await createBucket(call, bucket: bucket)
        case .deleteBucket: return try await deleteBucket(call, bucket: bucket)
        case .getBucketInfo: return try await bucketInfo(call, bucket: bucket)
        case .getBucketLocation: return try await bucketLocation(call, bucket: bucket)
        case .getBucketStat: return try await bucketStat(call, bucket: bucket)
        case .getBucketACL: return try await bucketACL(call, bucket: bucket)
        case .putBucketACL: return try await putBucketACL(call, bucket: bucket)
        case .putBucketCORS: return try await putBucketCORS(call, bucket: bucket)
        case .getBucketCORS: return try await bucketCORS(call, bucket: bucket)
        case .deleteBucketCORS: return try await deleteBucketCORS(call, bucket: bucket)
        case .putBucketPublicAccessBlock: return try await putBucketPublicAccessBlock(call, bucket: bucket)
        case .getBucketPublicAccessBlock: return try await bucketPublicAccessBlock(call, bucket: bucket)
        case .deleteBucketPublicAccessBlock: return try await deleteBucketPublicAccessBlock(call, bucket: bucket)
        case .putBucketVersioning: return try await putBucketVersioning(call, bucket: bucket)
        case .getBucketVersioning: return try await bucketVersioning(call, bucket: bucket)
        case .putBucketLifecycle: return try await putBucketLifecycle(call, bucket: bucket)
        case .getBucketLifecycle: return try await bucketLifecycle(call, bucket: bucket)
        case .deleteBucketLifecycle: return try await deleteBucketLifecycle(call, bucket: bucket)
        case .putBucketReferer: return try await putBucketReferer(call, bucket: bucket)
        case .getBucketReferer: return try await bucketReferer(call, bucket: bucket)
        case .putBucketWebsite: return try await putBucketWebsite(call, bucket: bucket)
        case .getBucketWebsite: return try await bucketWebsite(call, bucket: bucket)
        case .deleteBucketWebsite: return try await deleteBucketDocument(call, bucket: bucket, .website)
        case .putBucketLogging: return try await putBucketLogging(call, bucket: bucket)
        case .getBucketLogging: return try await bucketLogging(call, bucket: bucket)
        case .deleteBucketLogging: return try await deleteBucketDocument(call, bucket: bucket, .logging)
        case .putBucketPolicy: return try await putBucketPolicy(call, bucket: bucket)
        case .getBucketPolicy: return try await bucketPolicy(call, bucket: bucket)
        case .deleteBucketPolicy: return try await deleteBucketDocument(call, bucket: bucket, .policy)
        case .putBucketQoSInfo: return try await putBucketQoSInfo(call, bucket: bucket)
        case .getBucketQoSInfo: return try await bucketQoSInfo(call, bucket: bucket)
        case .deleteBucketQoSInfo: return try await deleteBucketDocument(call, bucket: bucket, .qosInfo)
        case .putBucketStorageCapacity: return try await putBucketStorageCapacity(call, bucket: bucket)
        case .getBucketStorageCapacity: return try await bucketStorageCapacity(call, bucket: bucket)
        case .preflight: return try await preflight(call, bucket: bucket)
        case .listObjects: return try await listObjects(call, bucket: bucket, version: .v1)
        case .listObjectsV2: return try await listObjects(call, bucket: bucket, version: .v2)
        case .listMultipartUploads: return try await listMultipartUploads(call, bucket: bucket)
        case .deleteMultipleObjects: return try await deleteMultipleObjects(call, bucket: bucket)
        case .putObject: return try await putObject(call, bucket: bucket, key: key)
        case .getObject: return try await getObject(call, bucket: bucket, key: key, headOnly: false)
        case .headObject: return try await getObject(call, bucket: bucket, key: key, headOnly: true)
        case .getObjectMeta: return try await objectMeta(call, bucket: bucket, key: key)
        case .deleteObject: return try await deleteObject(call, bucket: bucket, key: key)
        case .getObjectACL: return try await objectACL(call, bucket: bucket, key: key)
        case .putObjectACL: return try await putObjectACL(call, bucket: bucket, key: key)
        case .initiateMultipartUpload: return try await initiateMultipartUpload(call, bucket: bucket, key: key)
        case .uploadPart: return try await uploadPart(call, bucket: bucket, key: key, uploadID: try Self.uploadID(call))
        case .uploadPartCopy:
            return try await uploadPartCopy(call, bucket: bucket, key: key, uploadID: try Self.uploadID(call))
        case .completeMultipartUpload:
            return try await completeMultipartUpload(call, bucket: bucket, key: key, uploadID: try Self.uploadID(call))
        case .abortMultipartUpload:
            return try await abortMultipartUpload(call, bucket: bucket, key: key, uploadID: try Self.uploadID(call))
        case .listParts: return try await listParts(call, bucket: bucket, key: key, uploadID: try Self.uploadID(call))
        case .listObjectVersions: return try await listObjectVersions(call, bucket: bucket)
        case .listLiveChannels: return try await listLiveChannels(call, bucket: bucket)
        case .listLiveChannelsOfService: return try await listLiveChannels(call, bucket: nil)
        case .postObject: return try await postObject(call, bucket: bucket)
        case .copyObject: return try await copyObject(call, bucket: bucket, key: key)
        case .appendObject: return try await appendObject(call, bucket: bucket, key: key)
        case .sealAppendObject: return try await sealAppendObject(call, bucket: bucket, key: key)
        case .restoreObject: return try await restoreObject(call, bucket: bucket, key: key)
        case .getObjectTagging: return try await objectTagging(call, bucket: bucket, key: key)
        case .putObjectTagging: return try await putObjectTagging(call, bucket: bucket, key: key)
        case .deleteObjectTagging: return try await deleteObjectTagging(call, bucket: bucket, key: key)
        case .putSymlink: return try await putSymlink(call, bucket: bucket, key: key)
        case .getSymlink: return try await getSymlink(call, bucket: bucket, key: key)
        }
    }

    static func uploadID(_ call: OSSCall) throws(OSSError) -> String {
        call.query("uploadId") ?? ""
    }
}
