import Foundation

/// How ``OSSUploader`` cuts, parallelises and records an upload.
public struct OSSUploaderOptions: Sendable {
    /// The preferred part size; raised automatically when a file would need more than 10000
    /// parts. 8 MiB by default.
    public var partSize: Int64
    /// Files and streams smaller than this go up in one PutObject. 16 MiB by default.
    public var multipartThreshold: Int64
    /// Parts in flight at once; memory use is about `concurrency × partSize`.
    public var concurrency: Int
    /// Where checkpoints are kept; `nil` makes uploads non-resumable (an unfinished upload is
    /// then aborted on failure). With a directory, a failed or cancelled file upload keeps its
    /// parts and checkpoint, and the same call later uploads only the missing parts.
    public var checkpointDirectory: URL?
    /// What to do when a checkpoint is stale (the file or the unfinished upload changed).
    public var staleCheckpointPolicy: OSSStaleCheckpointPolicy
    /// Content headers, metadata, ACL and storage class of the new object.
    public var objectOptions: OSSObjectWriteOptions
    /// Receives bytes confirmed so far.
    public var progress: OSSProgressHandler?

    /// Creates options.
    public init(
        partSize: Int64 = 8 << 20, multipartThreshold: Int64 = 16 << 20, concurrency: Int = 3,
        checkpointDirectory: URL? = nil, staleCheckpointPolicy: OSSStaleCheckpointPolicy = .restart,
        objectOptions: OSSObjectWriteOptions = .init(), progress: OSSProgressHandler? = nil
    ) {
        self.partSize = partSize
        self.multipartThreshold = multipartThreshold
        self.concurrency = max(1, concurrency)
        self.checkpointDirectory = checkpointDirectory
        self.staleCheckpointPolicy = staleCheckpointPolicy
        self.objectOptions = objectOptions
        self.progress = progress
    }
}

/// The outcome of an upload.
public struct OSSUploadResult: Sendable, Hashable {
    /// The object's ETag.
    public var etag: String
    /// The server's CRC-64 of the object.
    public var crc64: UInt64?
    /// Whether the stored object was proven equal to the source: for multipart uploads, the
    /// combined part CRCs against Complete's.
    public var crcVerification: OSSCRCVerification
    /// Bytes in the object.
    public var size: Int64
    /// Parts used; 0 when the object went up in one PutObject.
    public var partCount: Int
    /// Parts taken over from a checkpoint instead of being uploaded again.
    public var resumedParts: Int
}

/// What an upload checkpoint records: enough to find the unfinished upload, to check that the
/// file did not change, and to skip the parts already stored.
struct UploadCheckpoint: Codable, Sendable {
    var bucket: String
    var key: String
    var filePath: String
    var file: FileIdentity
    var partSize: Int64
    var uploadID: String
    var parts: [OSSUploadedPart]
}
