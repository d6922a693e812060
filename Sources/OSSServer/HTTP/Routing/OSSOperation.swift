/// Every operation the server answers, as routing picks it from the verb, the path and the
/// sub-resources (§3.2), before anything is read or written.
///
/// Naming the operation first lets access control (§2.7) look at what a request is before it
/// runs, and keeps the rule that an unknown sub-resource never reaches a plain write in one place
/// (``init(method:bucket:key:query:headers:)``).
enum OSSOperation: String, Sendable, Hashable, CaseIterable {
    // Service
    case listBuckets, listLiveChannelsOfService
    case putPublicAccessBlock, getPublicAccessBlock, deletePublicAccessBlock
    // Buckets
    case createBucket, deleteBucket, getBucketInfo, getBucketLocation, getBucketStat, getBucketACL, putBucketACL
    case putBucketCORS, getBucketCORS, deleteBucketCORS
    case putBucketPublicAccessBlock, getBucketPublicAccessBlock, deleteBucketPublicAccessBlock
    case putBucketVersioning, getBucketVersioning
    case putBucketLifecycle, getBucketLifecycle, deleteBucketLifecycle
    case putBucketReferer, getBucketReferer, putBucketWebsite, getBucketWebsite, deleteBucketWebsite
    case putBucketLogging, getBucketLogging, deleteBucketLogging
    case putBucketPolicy, getBucketPolicy, deleteBucketPolicy
    case putBucketQoSInfo, getBucketQoSInfo, deleteBucketQoSInfo, putBucketStorageCapacity, getBucketStorageCapacity
    case listObjects, listObjectsV2, listObjectVersions, listLiveChannels, listMultipartUploads
    case deleteMultipleObjects, postObject
    // Objects
    case putObject, copyObject, appendObject, sealAppendObject, restoreObject, getObject, headObject, getObjectMeta, deleteObject
    case getObjectACL, putObjectACL, getObjectTagging, putObjectTagging, deleteObjectTagging
    case putSymlink, getSymlink
    // Multipart uploads
    case initiateMultipartUpload, uploadPart, uploadPartCopy, completeMultipartUpload, abortMultipartUpload
    case listParts
    // Browsers
    /// A CORS preflight (`OPTIONS`) on a bucket or object.
    case preflight

    /// Whether the handler reads a request body: only these answer `Expect: 100-continue` with
    /// `100 Continue`; the others answer without asking for a body, and a body the client sends
    /// anyway ends the connection after the answer.
    var readsBody: Bool {
        switch self {
        case .putObject, .appendObject, .uploadPart, .postObject, .completeMultipartUpload, .deleteMultipleObjects,
            .createBucket, .putBucketCORS, .putBucketVersioning, .putBucketLifecycle, .putBucketReferer, .putBucketWebsite,
            .putBucketLogging, .putBucketPolicy, .putBucketQoSInfo, .putBucketStorageCapacity, .putObjectTagging, .putBucketPublicAccessBlock, .putPublicAccessBlock,
            .restoreObject:
            true
        default:
            false
        }
    }

    /// GetObject, HeadObject and GetObjectMeta: reads of an object's bytes or description.
    var onlyReads: Bool { self == .getObject || self == .headObject || self == .getObjectMeta }

    /// What an anonymous request needs from the ACLs to run this operation (§2.7).
    enum Access: Sendable, Hashable {
        /// The bucket's owner, or whom its policy allows: bucket management and ACL changes (and
        /// ListBuckets, which lists the signer's own buckets).
        case owner
        /// The bucket's ACL must allow reading (`public-read` or `public-read-write`).
        case readBucket
        /// The bucket's ACL must allow writing (`public-read-write`).
        case writeBucket
        /// The object's ACL (the bucket's when it is `default` or the key is missing) must allow
        /// reading; through a symlink, the target's too.
        case readObject
        /// GetObject and HeadObject: as ``readObject``, but checked by the handler on the records
        /// of the object it opened, so that an anonymous read resolves the object once.
        case readOpenedObject
        /// The object's ACL (the bucket's when it is `default` or the key is missing) must allow
        /// writing. Copies also need to read their source.
        case writeObject
        /// PostObject: the form's policy signature authenticates, or the bucket allows writing.
        case form
        /// DeleteMultipleObjects: each object as a DeleteObject of its own, checked by the handler.
        case eachObject
        /// A CORS preflight: browsers send it without credentials; the bucket's CORS rules decide.
        case anyone
    }

    var access: Access {
        switch self {
        case .listBuckets, .listLiveChannelsOfService, .putPublicAccessBlock, .getPublicAccessBlock,
            .deletePublicAccessBlock, .createBucket, .deleteBucket, .getBucketInfo,
            .getBucketLocation, .getBucketStat, .getBucketACL, .putBucketACL, .getObjectACL, .putObjectACL, .putBucketCORS,
            .getBucketCORS, .deleteBucketCORS, .putBucketPublicAccessBlock, .getBucketPublicAccessBlock,
            .deleteBucketPublicAccessBlock, .putBucketVersioning, .getBucketVersioning, .putBucketLifecycle,
            .getBucketLifecycle, .deleteBucketLifecycle, .putBucketReferer, .getBucketReferer, .putBucketWebsite,
            .getBucketWebsite, .deleteBucketWebsite, .putBucketLogging, .getBucketLogging, .deleteBucketLogging,
            .putBucketPolicy, .getBucketPolicy, .deleteBucketPolicy, .putBucketQoSInfo, .getBucketQoSInfo,
            .deleteBucketQoSInfo, .putBucketStorageCapacity, .getBucketStorageCapacity:
            .owner
        case .preflight: .anyone
        case .listObjects, .listObjectsV2, .listObjectVersions, .listLiveChannels: .readBucket
        case .listMultipartUploads: .writeBucket
        case .deleteMultipleObjects: .eachObject
        case .postObject: .form
        case .getObject, .headObject: .readOpenedObject
        case .getObjectMeta, .getObjectTagging, .getSymlink: .readObject
        case .putObject, .copyObject, .appendObject, .sealAppendObject, .restoreObject, .deleteObject, .putObjectTagging, .deleteObjectTagging,
            .putSymlink, .initiateMultipartUpload, .uploadPart, .uploadPartCopy, .completeMultipartUpload,
            .abortMultipartUpload, .listParts:
            .writeObject
        }
    }

    /// Whether the operation reads another object named by `x-oss-copy-source`.
    var copiesFromSource: Bool { self == .copyObject || self == .uploadPartCopy }
}
