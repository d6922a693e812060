import Foundation

/// PutSymlink: a link object whose reads (GET, HEAD, GetObjectMeta) serve its target, within
/// the same bucket; a second name for an object without a second copy of its bytes.
public struct OSSPutSymlinkRequest: Sendable {
    /// The bucket of the link and of its target.
    public var bucket: String
    /// The link's key.
    public var key: String
    /// The target's key. It need not exist yet: reading a dangling link fails with
    /// `SymlinkTargetNotExist`.
    public var target: String
    /// The link's own content type, metadata, ACL and overwrite protection.
    public var options: OSSObjectWriteOptions

    /// Creates a request.
    public init(bucket: String, key: String, target: String, options: OSSObjectWriteOptions = .init()) {
        self.bucket = bucket
        self.key = key
        self.target = target
        self.options = options
    }
}

/// What GetSymlink reports about a link (not about its target).
public struct OSSSymlink: Sendable, Hashable {
    /// The target's key, decoded.
    public var target: String
    /// The link's ETag.
    public var etag: String
    /// When the link was written.
    public var lastModified: Date?
    /// The link's own content type.
    public var contentType: String?
    /// The link's user metadata, names lower-cased and without the prefix.
    public var metadata: [String: String]
    /// The request id, for support.
    public var requestID: String?
}
