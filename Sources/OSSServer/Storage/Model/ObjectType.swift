/// How an object came to be, as OSS reports it in `x-oss-object-type` and listings.
///
/// `appendable` and `symlink` are reserved for AppendObject and PutSymlink: the schema already has
/// room for them (segments can grow one per append; records carry a symlink target).
enum ObjectType: String, Sendable, Hashable, CaseIterable {
    /// Written in one piece by PutObject, PostObject or CopyObject.
    case normal = "Normal"
    /// Assembled by CompleteMultipartUpload from its parts.
    case multipart = "Multipart"
    /// Created and grown by AppendObject.
    case appendable = "Appendable"
    /// A link to another key, created by PutSymlink.
    case symlink = "Symlink"
}
