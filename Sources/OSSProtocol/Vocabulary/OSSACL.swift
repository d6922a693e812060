/// Who may access a bucket without signing (`x-oss-acl`, PutBucketAcl, GetBucketAcl); signed
/// requests by the owner always may. Server and SDK share it, so a value one side sends is always
/// one the other understands.
public enum OSSBucketACL: String, Sendable, Hashable, CaseIterable {
    /// Only signed requests.
    case `private` = "private"
    /// Anyone may read objects; only signed requests write.
    case publicRead = "public-read"
    /// Anyone may read and write objects.
    case publicReadWrite = "public-read-write"
}

/// Who may access an object without signing (`x-oss-object-acl`, PutObjectAcl, GetObjectAcl);
/// `default` defers to the bucket's ACL.
public enum OSSObjectACL: String, Sendable, Hashable, CaseIterable {
    /// The bucket's ACL decides (the state of every new object).
    case `default` = "default"
    /// Only signed requests, whatever the bucket's ACL.
    case `private` = "private"
    /// Anyone may read the object.
    case publicRead = "public-read"
    /// Anyone may read and overwrite the object.
    case publicReadWrite = "public-read-write"
}
