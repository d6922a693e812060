import OSSProtocol

/// What a client chooses about an object besides its bytes, stored as given and served back on
/// GET and HEAD.
///
/// PutObject applies it at once; InitiateMultipartUpload keeps it until Complete. Storage does not
/// validate the values (ACL and storage-class spellings, metadata size): those are wire rules the
/// HTTP layer checks before calling. Tags are the exception: every write that sets them checks
/// ``ObjectTags``, because they arrive through more operations than any other attribute.
struct ObjectAttributes: Sendable, Hashable {
    /// `Content-Type`, served back verbatim.
    var contentType: String
    /// `x-oss-meta-*` entries, names without the prefix and lower-cased by the caller.
    var userMetadata: [String: String]
    /// `Cache-Control`, when the client sent one.
    var cacheControl: String?
    /// `Content-Disposition`, when the client sent one.
    var contentDisposition: String?
    /// `Content-Encoding`, when the client sent one.
    var contentEncoding: String?
    /// `Content-Language`, when the client sent one.
    var contentLanguage: String?
    /// `Expires`, kept as the client's string because OSS serves it back unparsed.
    var expires: String?
    /// `x-oss-storage-class` (every class is served as Standard would be).
    var storageClass: OSSStorageClass
    /// `x-oss-object-acl`: `default` inherits the bucket's.
    var acl: OSSObjectACL
    /// Object tags (`x-oss-tagging`, PutObjectTagging, CopyObject's tagging directive).
    var tags: [String: String]

    init(
        contentType: String = "application/octet-stream",
        userMetadata: [String: String] = [:],
        cacheControl: String? = nil,
        contentDisposition: String? = nil,
        contentEncoding: String? = nil,
        contentLanguage: String? = nil,
        expires: String? = nil,
        storageClass: OSSStorageClass = .standard,
        acl: OSSObjectACL = .default,
        tags: [String: String] = [:]
    ) {
        self.contentType = contentType
        self.userMetadata = userMetadata
        self.cacheControl = cacheControl
        self.contentDisposition = contentDisposition
        self.contentEncoding = contentEncoding
        self.contentLanguage = contentLanguage
        self.expires = expires
        self.storageClass = storageClass
        self.acl = acl
        self.tags = tags
    }
}
