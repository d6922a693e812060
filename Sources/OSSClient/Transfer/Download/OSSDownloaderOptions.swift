import Foundation

/// How ``OSSDownloader`` splits, parallelises and records a download.
public struct OSSDownloaderOptions: Sendable {
    /// The size of each ranged GET. 8 MiB by default.
    public var partSize: Int64
    /// Ranged GETs in flight at once. Data goes straight to the file, so memory use is a few
    /// network chunks per request, not a part.
    public var concurrency: Int
    /// Where checkpoints are kept; `nil` makes downloads non-resumable (the partial file is
    /// removed on failure). With a directory, a failed or cancelled download keeps its partial
    /// file and checkpoint, and the same call later downloads only the missing ranges.
    public var checkpointDirectory: URL?
    /// Objects smaller than this are downloaded without a checkpoint even with a directory: a
    /// small download is cheaper to start over than to leave a partial file behind. 0 (every
    /// download keeps one) by default.
    public var checkpointThreshold: Int64
    /// What to do when a checkpoint is stale (the object changed: size, ETag, CRC or date).
    public var staleCheckpointPolicy: OSSStaleCheckpointPolicy
    /// Receives bytes written so far.
    public var progress: OSSProgressHandler?

    /// Creates options.
    public init(
        partSize: Int64 = 8 << 20, concurrency: Int = 3, checkpointDirectory: URL? = nil, checkpointThreshold: Int64 = 0,
        staleCheckpointPolicy: OSSStaleCheckpointPolicy = .restart, progress: OSSProgressHandler? = nil
    ) {
        self.partSize = max(1, partSize)
        self.concurrency = max(1, concurrency)
        self.checkpointDirectory = checkpointDirectory
        self.checkpointThreshold = max(0, checkpointThreshold)
        self.staleCheckpointPolicy = staleCheckpointPolicy
        self.progress = progress
    }
}

/// The outcome of a download.
public struct OSSDownloadResult: Sendable, Hashable {
    /// Bytes in the destination file.
    public var size: Int64
    /// The object's ETag.
    public var etag: String
    /// The object's CRC-64 as HEAD reported it.
    public var crc64: UInt64?
    /// The combined CRC of the ranges against the object's.
    public var crcVerification: OSSCRCVerification
    /// Ranged GETs the object was split into.
    public var partCount: Int
    /// Ranges taken over from a checkpoint (and re-hashed from the partial file).
    public var resumedParts: Int
}

/// What a download checkpoint records: the object version, the partial file, and the CRC of
/// every finished range.
struct DownloadCheckpoint: Codable, Sendable {
    var bucket: String
    var key: String
    var destination: String
    var temporaryPath: String
    var size: Int64
    var etag: String
    var crc64: UInt64?
    var lastModified: Date?
    var partSize: Int64
    /// Finished ranges: part number → CRC-64 of its bytes.
    var done: [Int: UInt64]
}
