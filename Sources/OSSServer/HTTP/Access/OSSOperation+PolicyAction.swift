import OSSProtocol

extension OSSOperation {
    /// The action a bucket policy names for this operation (`oss:GetObject`, …), `nil` for a
    /// CORS preflight, which policies do not govern. Reads and writes that name a version by its
    /// id are the `…Version…` actions, as on OSS.
    func policyAction(versioned: Bool) -> String? {
        let name: String? = switch self {
        case .listBuckets: "ListBuckets"
        case .listLiveChannelsOfService, .listLiveChannels: "ListLiveChannel"
        case .putPublicAccessBlock: "PutPublicAccessBlock"
        case .getPublicAccessBlock: "GetPublicAccessBlock"
        case .deletePublicAccessBlock: "DeletePublicAccessBlock"
        case .createBucket: "PutBucket"
        case .deleteBucket: "DeleteBucket"
        case .getBucketInfo: "GetBucketInfo"
        case .getBucketLocation: "GetBucketLocation"
        case .getBucketStat: "GetBucketStat"
        case .getBucketACL: "GetBucketAcl"
        case .putBucketACL: "PutBucketAcl"
        case .putBucketCORS: "PutBucketCors"
        case .getBucketCORS: "GetBucketCors"
        case .deleteBucketCORS: "DeleteBucketCors"
        case .putBucketPublicAccessBlock: "PutBucketPublicAccessBlock"
        case .getBucketPublicAccessBlock: "GetBucketPublicAccessBlock"
        case .deleteBucketPublicAccessBlock: "DeleteBucketPublicAccessBlock"
        case .putBucketVersioning: "PutBucketVersioning"
        case .getBucketVersioning: "GetBucketVersioning"
        case .putBucketLifecycle: "PutBucketLifecycle"
        case .getBucketLifecycle: "GetBucketLifecycle"
        case .deleteBucketLifecycle: "DeleteBucketLifecycle"
        case .putBucketReferer: "PutBucketReferer"
        case .getBucketReferer: "GetBucketReferer"
        case .putBucketWebsite: "PutBucketWebsite"
        case .getBucketWebsite: "GetBucketWebsite"
        case .deleteBucketWebsite: "DeleteBucketWebsite"
        case .putBucketLogging: "PutBucketLogging"
        case .getBucketLogging: "GetBucketLogging"
        case .deleteBucketLogging: "DeleteBucketLogging"
        case .putBucketPolicy: "PutBucketPolicy"
        case .getBucketPolicy: "GetBucketPolicy"
        case .deleteBucketPolicy: "DeleteBucketPolicy"
        case .putBucketQoSInfo: "PutBucketQosInfo"
        case .getBucketQoSInfo: "GetBucketQosInfo"
        case .deleteBucketQoSInfo: "DeleteBucketQosInfo"
        case .putBucketStorageCapacity: "PutBucketStorageCapacity"
        case .getBucketStorageCapacity: "GetBucketStorageCapacity"
        case .listObjects, .listObjectsV2: "ListObjects"
        case .listObjectVersions: "ListObjectVersions"
        case .listMultipartUploads: "ListMultipartUploads"
        case .deleteMultipleObjects, .deleteObject: versioned ? "DeleteObjectVersion" : "DeleteObject"
        case .postObject, .putObject, .copyObject, .appendObject, .sealAppendObject, .initiateMultipartUpload,
            .uploadPart, .uploadPartCopy, .completeMultipartUpload:
            "PutObject"
        case .getObject, .headObject, .getObjectMeta: versioned ? "GetObjectVersion" : "GetObject"
        case .restoreObject: "RestoreObject"
        case .getObjectACL: versioned ? "GetObjectVersionAcl" : "GetObjectAcl"
        case .putObjectACL: versioned ? "PutObjectVersionAcl" : "PutObjectAcl"
        case .getObjectTagging: versioned ? "GetObjectVersionTagging" : "GetObjectTagging"
        case .putObjectTagging: versioned ? "PutObjectVersionTagging" : "PutObjectTagging"
        case .deleteObjectTagging: versioned ? "DeleteObjectVersionTagging" : "DeleteObjectTagging"
        case .putSymlink: "PutSymlink"
        case .getSymlink: "GetSymlink"
        case .abortMultipartUpload: "AbortMultipartUpload"
        case .listParts: "ListParts"
        case .preflight: nil
        }
        return name.map { "oss:" + $0 }
    }
}
