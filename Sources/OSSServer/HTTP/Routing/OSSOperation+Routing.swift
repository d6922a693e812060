import HTTPTypes
import OSSProtocol

extension OSSOperation {
    /// Query parameters that select a sub-resource this server does not serve where they appear.
    /// A request naming one is answered `NotImplemented` unless an operation above it in the
    /// precedence claimed it (`?lifecycle` on a bucket, `versionId` on a read), so that, say,
    /// `PUT /bkt/key?lifecycle` can never store the body as an object.
    static let unservedSubresources: Set<String> = [
        "restore", "versioning", "versionId", "lifecycle", "cors", "website", "logging", "referer", "policy",
        "encryption", "worm", "wormId", "wormExtend", "replication", "replicationLocation", "replicationProgress",
        "inventory", "inventoryId", "qos", "qosInfo", "stat", "x-oss-process", "callback", "callback-var", "cname",
        "transferAcceleration", "objectInfo", "requestPayment", "resourceGroup", "style", "tags", "metaQuery",
        "accessPoint", "regions", "regionList", "asyncFetch", "comp", "vod", "status", "live", "tagging", "acl",
        "symlink", "append", "position", "uploads", "uploadId", "partNumber", "delete", "bucketInfo", "location",
        "objectMeta", "versions", "sequential", "cloudboxes", "publicAccessBlock", "policyStatus", "dataRedundancyTransition",
        "httpsConfig", "userDefinedLogFieldsConfig", "redundancyTransition", "archiveDirectRead", "overwriteConfig",
        "seal", "cleanRestoredObject", "x-oss-async-process", "rtc", "responseHeader", "bucketArchiveDirectRead",
    ]

    /// The only query parameters a bare-verb bucket write (PutBucket, DeleteBucket, PostObject) may
    /// carry: URL signatures and traffic limits. Anything else is a sub-resource this server does
    /// not know, and a bucket write must never guess. Object writes (PutObject, CopyObject,
    /// DeleteObject) ignore parameters no list knows, as OSS does and the SDKs rely on; every
    /// sub-resource of ``unservedSubresources`` still refuses them.
    static let writeParameters: Set<String> = [
        "OSSAccessKeyId", "Expires", "Signature", "security-token", "x-oss-signature-version", "x-oss-credential",
        "x-oss-date", "x-oss-expires", "x-oss-signature", "x-oss-additional-headers", "x-oss-security-token",
        "x-oss-traffic-limit",
    ]

    /// Picks the operation of a request.
    ///
    /// Object requests follow §3.2's precedence: `uploads`, `uploadId` (with `partNumber`),
    /// `append`, `acl`, `tagging`, `symlink`, `objectMeta`, then the bare verb (a PUT with
    /// `x-oss-copy-source` is a copy; GET, HEAD and DELETE may name a `versionId`). A bare verb runs only when no other sub-resource of
    /// ``unservedSubresources`` is present, and a bare-verb bucket write only with no parameter
    /// outside ``writeParameters``.
    ///
    /// - Throws: 405 `MethodNotAllowed` for a verb the resource does not take, 400 `NotImplemented`
    ///   for a sub-resource this server does not serve.
    init(method: HTTPRequest.Method, bucket: String?, key: String?, query: [OSSQueryItem], copySource: Bool) throws(OSSError) {
        let router = Router(method: method, query: query)
        if method == .options {
            // A CORS preflight, whatever the sub-resources: the rules are the bucket's.
            guard bucket != nil else { throw router.notAllowed("Service") }
            self = .preflight
        } else if bucket == nil {
            self = try router.service()
        } else if key == nil {
            self = try router.bucket()
        } else {
            self = try router.object(copySource: copySource)
        }
    }

    private struct Router {
        let method: HTTPRequest.Method
        let query: [OSSQueryItem]

        func has(_ name: String) -> Bool { query.contains(name) }

        func notAllowed(_ resourceType: String) -> OSSError {
            .methodNotAllowed(method: method.rawValue, resourceType: resourceType)
        }

        /// Refuses the first unserved sub-resource of the query, if any, but for those `allowed`.
        func refuseUnserved(allowing allowed: Set<String> = []) throws(OSSError) {
            if let name = query.first(where: { OSSOperation.unservedSubresources.contains($0.name) && !allowed.contains($0.name) })?.name {
                throw .notImplemented(subresource: name)
            }
        }

        /// Refuses, before a bare-verb write, any parameter that is not a URL signature.
        func refuseUnknownForWrite() throws(OSSError) {
            try refuseUnserved()
            if let name = query.first(where: { !OSSOperation.writeParameters.contains($0.name) })?.name {
                throw .notImplemented(subresource: name)
            }
        }

        func service() throws(OSSError) -> OSSOperation {
            if has("publicAccessBlock") {
                switch method {
                case .put: return .putPublicAccessBlock
                case .get: return .getPublicAccessBlock
                case .delete: return .deletePublicAccessBlock
                default: throw notAllowed("Service")
                }
            }
            guard method == .get else { throw notAllowed("Service") }
            if has("live") { return .listLiveChannelsOfService }
            try refuseUnserved()
            return .listBuckets
        }

        func bucket() throws(OSSError) -> OSSOperation {
            switch method {
            case .put:
                if has("acl") { return .putBucketACL }
                if has("cors") { return .putBucketCORS }
                if has("publicAccessBlock") { return .putBucketPublicAccessBlock }
                if has("versioning") { return .putBucketVersioning }
                if has("lifecycle") { return .putBucketLifecycle }
                if has("referer") { return .putBucketReferer }
                if has("website") { return .putBucketWebsite }
                if has("logging") { return .putBucketLogging }
                if has("policy") { return .putBucketPolicy }
                if has("qosInfo") { return .putBucketQoSInfo }
                if has("qos") { return .putBucketStorageCapacity }
                try refuseUnknownForWrite()
                return .createBucket
            case .delete:
                if has("cors") { return .deleteBucketCORS }
                if has("publicAccessBlock") { return .deleteBucketPublicAccessBlock }
                if has("lifecycle") { return .deleteBucketLifecycle }
                if has("website") { return .deleteBucketWebsite }
                if has("logging") { return .deleteBucketLogging }
                if has("policy") { return .deleteBucketPolicy }
                if has("qosInfo") { return .deleteBucketQoSInfo }
                try refuseUnknownForWrite()
                return .deleteBucket
            case .get, .head:
                if has("acl") { return .getBucketACL }
                if has("cors") { return .getBucketCORS }
                if has("publicAccessBlock") { return .getBucketPublicAccessBlock }
                if has("bucketInfo") { return .getBucketInfo }
                if has("location") { return .getBucketLocation }
                if has("stat") { return .getBucketStat }
                if has("uploads") { return .listMultipartUploads }
                if has("versions") { return .listObjectVersions }
                if has("versioning") { return .getBucketVersioning }
                if has("lifecycle") { return .getBucketLifecycle }
                if has("referer") { return .getBucketReferer }
                if has("website") { return .getBucketWebsite }
                if has("logging") { return .getBucketLogging }
                if has("policy") { return .getBucketPolicy }
                if has("qosInfo") { return .getBucketQoSInfo }
                if has("qos") { return .getBucketStorageCapacity }
                if has("live") { return .listLiveChannels }
                try refuseUnserved()
                return query.value(for: "list-type") == "2" ? .listObjectsV2 : .listObjects
            case .post:
                if has("delete") { return .deleteMultipleObjects }
                try refuseUnknownForWrite()
                return .postObject
            default:
                throw notAllowed("Bucket")
            }
        }

        func object(copySource: Bool) throws(OSSError) -> OSSOperation {
            if has("uploads") {
                guard method == .post else { throw notAllowed("Object") }
                return .initiateMultipartUpload
            }
            if has("uploadId") {
                switch method {
                case .put where has("partNumber"): return copySource ? .uploadPartCopy : .uploadPart
                case .post: return .completeMultipartUpload
                case .delete: return .abortMultipartUpload
                case .get: return .listParts
                default: throw notAllowed("MultipartUpload")
                }
            }
            if has("append") {
                guard method == .post else { throw notAllowed("Object") }
                return .appendObject
            }
            if has("restore") {
                guard method == .post else { throw notAllowed("Object") }
                return .restoreObject
            }
            if has("seal") {
                guard method == .post else { throw notAllowed("Object") }
                return .sealAppendObject
            }
            if has("acl") {
                switch method {
                case .put: return .putObjectACL
                case .get: return .getObjectACL
                default: throw notAllowed("Object")
                }
            }
            if has("tagging") {
                switch method {
                case .put: return .putObjectTagging
                case .get: return .getObjectTagging
                case .delete: return .deleteObjectTagging
                default: throw notAllowed("Object")
                }
            }
            if has("symlink") {
                switch method {
                case .put: return .putSymlink
                case .get: return .getSymlink
                default: throw notAllowed("Object")
                }
            }
            if has("objectMeta") {
                guard method == .head || method == .get else { throw notAllowed("Object") }
                return .getObjectMeta
            }
            // Reads and deletes may name a version; a write always creates one.
            try refuseUnserved(allowing: [.get, .head, .delete].contains(method) ? ["versionId"] : [])
            switch method {
            case .put:
                return copySource ? .copyObject : .putObject
            case .get, .head:
                return method == .get ? .getObject : .headObject
            case .delete:
                return .deleteObject
            default:
                throw notAllowed("Object")
            }
        }
    }
}
