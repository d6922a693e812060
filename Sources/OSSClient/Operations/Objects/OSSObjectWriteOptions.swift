import OSSProtocol

/// The headers that describe a new object, shared by PutObject, InitiateMultipartUpload and the
/// uploader, AppendObject (first append), CopyObject (`REPLACE`) and PutSymlink.
public struct OSSObjectWriteOptions: Sendable, Hashable {
    /// `Content-Type`; the server stores `application/octet-stream` when absent.
    public var contentType: String?
    /// `Cache-Control`, served back on GET.
    public var cacheControl: String?
    /// `Content-Disposition`, served back on GET.
    public var contentDisposition: String?
    /// `Content-Encoding`, served back on GET (the SDK never decodes bodies).
    public var contentEncoding: String?
    /// `Content-Language`, served back on GET.
    public var contentLanguage: String?
    /// `Expires`, served back on GET.
    public var expires: String?
    /// User metadata, sent as `x-oss-meta-<name>`; names are stored lower-cased.
    public var metadata: [String: String]
    /// `x-oss-object-acl`.
    public var acl: OSSObjectACL?
    /// `x-oss-storage-class`.
    public var storageClass: OSSStorageClass?
    /// `x-oss-forbid-overwrite: true`: fail with `FileAlreadyExists` instead of replacing.
    public var forbidOverwrite: Bool
    /// `x-oss-tagging`: the new object's tags (PutObject, InitiateMultipartUpload, the first append).
    public var tagging: OSSTagging?

    /// Creates options; everything is optional.
    public init(
        contentType: String? = nil, cacheControl: String? = nil, contentDisposition: String? = nil,
        contentEncoding: String? = nil, contentLanguage: String? = nil, expires: String? = nil, metadata: [String: String] = [:],
        acl: OSSObjectACL? = nil, storageClass: OSSStorageClass? = nil, forbidOverwrite: Bool = false,
        tagging: OSSTagging? = nil
    ) {
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.contentDisposition = contentDisposition
        self.contentEncoding = contentEncoding
        self.contentLanguage = contentLanguage
        self.expires = expires
        self.metadata = metadata
        self.acl = acl
        self.storageClass = storageClass
        self.forbidOverwrite = forbidOverwrite
        self.tagging = tagging
    }

    /// The content headers (without ACL, which multipart uploads send at Complete, §3.7).
    func apply(to request: inout WireRequest, includingACL: Bool = true) {
        request.header("Content-Type", contentType)
        request.header("Cache-Control", cacheControl)
        request.header("Content-Disposition", contentDisposition)
        request.header("Content-Encoding", contentEncoding)
        request.header("Content-Language", contentLanguage)
        request.header("Expires", expires)
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            request.header(OSSHeader.metaPrefix + name, value)
        }
        if includingACL { request.header(OSSHeader.objectACL, acl?.rawValue) }
        request.header(OSSHeader.storageClass, storageClass?.rawValue)
        if forbidOverwrite { request.header(OSSHeader.forbidOverwrite, "true") }
        request.header(OSSHeader.tagging, tagging.map(\.headerValue))
    }
}
