/// How an object came to be, as OSS reports it in `x-oss-object-type` and the `Type` of listings.
///
/// It decides what may be done next: only an `Appendable` object accepts AppendObject, only a
/// `Symlink` is followed by GetSymlink.
public enum OSSObjectType: String, Sendable, Hashable, CaseIterable {
    /// Written in one piece by PutObject or PostObject, or made by CopyObject (which shares the
    /// source's segments, whatever their number).
    case normal = "Normal"
    /// Assembled by CompleteMultipartUpload from its parts.
    case multipart = "Multipart"
    /// Created and grown by AppendObject: one segment per non-empty append.
    case appendable = "Appendable"
    /// A link to another key of the same bucket, created by PutSymlink: no segments.
    case symlink = "Symlink"
}
