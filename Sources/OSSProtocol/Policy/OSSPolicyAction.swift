/// The OSS action names policies grant or deny (`oss:` + the name), as RAM and bucket policies
/// spell them. A request is one action; reads and writes of a version by its id are actions of
/// their own (`GetObjectVersion`, `DeleteObjectVersion`, …), as on OSS.
public enum OSSPolicyAction {
    public static let names: Set<String> = [
        // Service
        "ListBuckets", "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock",
        // Buckets
        "PutBucket", "DeleteBucket", "GetBucketInfo", "GetBucketLocation", "GetBucketStat", "GetBucketAcl",
        "PutBucketAcl", "PutBucketCors", "GetBucketCors", "DeleteBucketCors", "PutBucketPublicAccessBlock",
        "GetBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketVersioning", "GetBucketVersioning",
        "PutBucketLifecycle", "GetBucketLifecycle", "DeleteBucketLifecycle", "PutBucketReferer", "GetBucketReferer",
        "PutBucketWebsite", "GetBucketWebsite", "DeleteBucketWebsite", "PutBucketLogging", "GetBucketLogging",
        "DeleteBucketLogging", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy", "PutBucketQosInfo",
        "GetBucketQosInfo", "DeleteBucketQosInfo", "PutBucketStorageCapacity", "GetBucketStorageCapacity", "ListObjects",
        "ListObjectVersions", "ListMultipartUploads", "ListLiveChannel",
        // Objects
        "GetObject", "GetObjectVersion", "PutObject", "DeleteObject", "DeleteObjectVersion", "GetObjectAcl",
        "GetObjectVersionAcl", "PutObjectAcl", "PutObjectVersionAcl", "GetObjectTagging", "GetObjectVersionTagging",
        "PutObjectTagging", "PutObjectVersionTagging", "DeleteObjectTagging", "DeleteObjectVersionTagging",
        "PutSymlink", "GetSymlink", "RestoreObject", "AbortMultipartUpload", "ListParts",
    ]
}
