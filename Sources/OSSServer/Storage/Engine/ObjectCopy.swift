import Foundation
import OSSProtocol

/// The CopyObject rules (§3.5), as a pure function of the source record, so that the source is
/// read, checked and shared inside the transaction that stores the copy.
struct ObjectCopy: Sendable {
    /// User metadata (names without `x-oss-meta-`) that OSS's client-side encryption stores:
    /// the encrypted data key, IV and algorithm.
    static let clientSideEncryptionPrefix = "client-side-encryption-"

    var destinationBucket: String
    var destinationKey: String
    var metadata: MetadataDirective
    var tagging: TaggingDirective
    /// `x-oss-object-acl`, when the request sent one.
    var acl: OSSObjectACL?
    /// `x-oss-storage-class`, when the request sent one.
    var storageClass: OSSStorageClass?
    var conditions: OSSConditions
    var time: Date

    /// The destination record made from `source`.
    ///
    /// It shares the source's segments, so no byte is copied, and it always carries the source's
    /// size and CRC-64. Its ETag is the source's: the bytes are the same, an MD5 ETag stays true,
    /// and Multipart and Appendable ETags are never mistaken for one (their `-<n>` suffix). A copy
    /// to another key is Normal, except that a symlink copies as the link (OSS copies links, not
    /// their targets). A copy onto the source itself changes attributes and Last-Modified only:
    /// its type stays, so OSS's metadata update (a self-copy with REPLACE) keeps an Appendable
    /// object appendable. Throws `copySourceConditionFailed`.
    func derive(from source: ObjectRecord) throws(StorageError) -> ObjectRecord {
        if let failed = conditions.failure(for: source) {
            throw .copySourceConditionFailed(bucket: source.bucket, key: source.key, condition: failed)
        }
        guard source.isReadable(at: time) else { throw .objectArchived(bucket: source.bucket, key: source.key) }
        // A copy shares the source's bytes: damaged ones are not passed on.
        try source.checkUndamaged()
        var attributes = source.attributes
        if case .replace(let replacement, let keepsContentType) = metadata {
            attributes = replacement
            if keepsContentType { attributes.contentType = source.attributes.contentType }
            for (name, value) in source.attributes.userMetadata
            where name.hasPrefix(Self.clientSideEncryptionPrefix) && replacement.userMetadata[name] == nil {
                attributes.userMetadata[name] = value
            }
        }
        attributes.tags = switch tagging {
        case .copy: source.attributes.tags
        case .replace(let tags): tags
        }
        if let acl { attributes.acl = acl }
        if let storageClass { attributes.storageClass = storageClass }
        let ontoItself = source.bucket == destinationBucket && source.key == destinationKey
        var copy = source
        copy.bucket = destinationBucket
        copy.key = destinationKey
        copy.attributes = attributes
        copy.lastModified = time
        if !ontoItself, source.type != .symlink {
            copy.type = .normal
            copy.sealedTime = nil
        }
        // A copy is a new object: restored or not, it starts archived (a self-copy keeps its state).
        if !ontoItself { copy.restore = nil }
        return copy
    }
}
