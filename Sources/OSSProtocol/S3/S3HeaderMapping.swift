/// The S3 headers that mean what an OSS header means, and the storage classes by both names.
///
/// The server answers S3 by running the same operations as for OSS: an S3 request's
/// `x-amz-*` headers are read as their OSS equivalents (``ossName(forRequestHeader:)``) and
/// the answer's `x-oss-*` headers leave under their S3 names (``s3Name(forResponseHeader:)``).
/// Headers S3 has no equal for are not translated, so an OSS-only feature stays OSS-only.
package enum S3HeaderMapping {
    /// S3 request headers whose OSS twin differs only in the prefix.
    private static let samePrefixed: Set<String> = [
        "copy-source", "copy-source-range", "copy-source-if-match", "copy-source-if-none-match",
        "copy-source-if-modified-since", "copy-source-if-unmodified-since", "metadata-directive",
        "tagging-directive", "tagging", "storage-class", "security-token",
    ]

    /// The OSS header an S3 request header stands for; `nil` when it has none.
    package static func ossName(forRequestHeader name: String) -> String? {
        let lower = name.lowercased()
        guard lower.hasPrefix("x-amz-") else { return nil }
        let rest = lower.dropFirst("x-amz-".count)
        if rest.hasPrefix("meta-") { return "x-oss-" + rest }
        if rest == "acl" { return OSSHeader.objectACL }
        if samePrefixed.contains(String(rest)) { return "x-oss-" + rest }
        return nil
    }

    /// The S3 name of a header the OSS operations answered with; `nil` for headers S3 clients
    /// do not know, which are still sent under their OSS name (the CRC-64, the object type).
    package static func s3Name(forResponseHeader name: String) -> String? {
        let lower = name.lowercased()
        guard lower.hasPrefix("x-oss-") else { return nil }
        let rest = lower.dropFirst("x-oss-".count)
        switch rest {
        case _ where rest.hasPrefix("meta-"): return "x-amz-" + rest
        case "version-id", "delete-marker", "copy-source-version-id", "tagging-count", "restore", "storage-class":
            return "x-amz-" + rest
        default: return nil
        }
    }

    /// The S3 storage class an OSS one is shown as.
    package static func s3StorageClass(_ storageClass: OSSStorageClass) -> String {
        switch storageClass.rawValue {
        case "IA": "STANDARD_IA"
        case "Archive": "GLACIER"
        case "ColdArchive": "DEEP_ARCHIVE"
        case "DeepColdArchive": "DEEP_ARCHIVE"
        default: "STANDARD"
        }
    }

    /// The OSS storage class an S3 one is stored as; `nil` for a name S3 does not have.
    package static func ossStorageClass(_ s3: String) -> OSSStorageClass? {
        switch s3 {
        case "STANDARD", "REDUCED_REDUNDANCY", "INTELLIGENT_TIERING", "EXPRESS_ONEZONE": .standard
        case "STANDARD_IA", "ONEZONE_IA": OSSStorageClass(rawValue: "IA")
        case "GLACIER", "GLACIER_IR": OSSStorageClass(rawValue: "Archive")
        case "DEEP_ARCHIVE": OSSStorageClass(rawValue: "ColdArchive")
        default: nil
        }
    }
}
