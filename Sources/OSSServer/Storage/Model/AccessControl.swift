/// An object's access control list (`x-oss-object-acl`, PutObjectACL, GetObjectACL).
///
/// Records keep the raw value in ``ObjectAttributes/acl``; the ACL operations take and return this
/// type, so that a value storage would serve back is always one of OSS's spellings.
enum ObjectACL: String, Sendable, Hashable, CaseIterable {
    /// The bucket's ACL applies.
    case `default` = "default"
    case `private` = "private"
    case publicRead = "public-read"
    case publicReadWrite = "public-read-write"
}

/// A bucket's access control list (`x-oss-acl`, PutBucketACL, GetBucketACL); objects whose ACL is
/// `default` inherit it.
enum BucketACL: String, Sendable, Hashable, CaseIterable {
    case `private` = "private"
    case publicRead = "public-read"
    case publicReadWrite = "public-read-write"
}
