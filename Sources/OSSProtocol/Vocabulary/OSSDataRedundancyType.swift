/// How OSS keeps a bucket's copies (`DataRedundancyType` in CreateBucketConfiguration and
/// GetBucketInfo): in one zone or across zones. This server keeps what was asked and reports it;
/// its own durability is the disk's (or, scaled out, the blob store's).
public enum OSSDataRedundancyType: String, Sendable, Hashable, CaseIterable {
    /// Locally redundant storage: the default.
    case locallyRedundant = "LRS"
    /// Zone-redundant storage.
    case zoneRedundant = "ZRS"
}
