import Foundation
import OSSProtocol

/// Where the destination of a CopyObject takes its content headers and user metadata from
/// (`x-oss-metadata-directive`).
enum MetadataDirective: Sendable, Hashable {
    /// The source's (`COPY`, the default).
    case copy
    /// These attributes (`REPLACE`): content headers, user metadata, storage class and ACL come
    /// from the request. Tags still follow the ``TaggingDirective``. As on OSS, two things of the
    /// source survive: its `Content-Type` when the request sent none (`keepsContentType`), and its
    /// client-side encryption metadata (``ObjectCopy/clientSideEncryptionPrefix``), without which
    /// the copy could never be decrypted.
    case replace(ObjectAttributes, keepsContentType: Bool = false)
}

/// Where the destination of a CopyObject takes its tags from (`x-oss-tagging-directive`),
/// whatever the ``MetadataDirective``.
enum TaggingDirective: Sendable, Hashable {
    /// The source's (`COPY`, the default).
    case copy
    /// These (`REPLACE`, with `x-oss-tagging`); checked against ``ObjectTags``.
    case replace([String: String])
}
