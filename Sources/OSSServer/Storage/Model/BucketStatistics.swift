import Foundation
import OSSProtocol

/// What GetBucketStat reports, computed from the metadata at the time of the call (OSS's own
/// numbers lag by up to an hour; these never do).
struct BucketStatistics: Sendable, Hashable {
    /// Objects and bytes of one storage class.
    struct ClassUsage: Sendable, Hashable {
        var objectCount: Int = 0
        /// The bytes stored.
        var realStorage: Int64 = 0
        /// The bytes billed: OSS bills every object of the infrequent-access and archive classes
        /// as at least ``minimumBilledSize``.
        var billedStorage: Int64 = 0
    }

    /// OSS's minimum billed size of an object outside the Standard class.
    static let minimumBilledSize: Int64 = 64 << 10

    /// Usage per storage class (classes without objects are absent); every version counts.
    var classes: [OSSStorageClass: ClassUsage] = [:]
    /// Delete markers, latest or not; they hold no bytes and are no objects.
    var deleteMarkerCount = 0
    /// Multipart uploads in progress.
    var multipartUploadCount = 0
    /// Their parts.
    var multipartPartCount = 0
    /// The bytes of those parts, which occupy storage until Complete or Abort.
    var multipartStorage: Int64 = 0
    /// The latest change to an object or upload (the bucket's creation when it has none).
    var lastModified: Date

    var objectCount: Int { classes.values.reduce(0) { $0 + $1.objectCount } }

    /// Billed bytes of every class plus the parts of uploads in progress.
    var storage: Int64 { classes.values.reduce(multipartStorage) { $0 + $1.billedStorage } }

    func usage(_ storageClass: OSSStorageClass) -> ClassUsage { classes[storageClass] ?? ClassUsage() }
}
