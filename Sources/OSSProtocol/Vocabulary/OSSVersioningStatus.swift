/// A bucket's versioning state (`Status` of PutBucketVersioning and GetBucketVersioning).
///
/// A bucket starts with neither: versioning was never on, and GetBucketVersioning answers an
/// empty configuration. Once enabled, a bucket can be suspended but never returns to that first
/// state, because the versions it kept must stay addressable.
public enum OSSVersioningStatus: String, Sendable, Hashable, CaseIterable {
    /// Every write keeps what it replaces as a noncurrent version, and every delete without a
    /// version id leaves a delete marker.
    case enabled = "Enabled"
    /// Writes and deletes replace the `null` version only; versions kept earlier stay.
    case suspended = "Suspended"
}
