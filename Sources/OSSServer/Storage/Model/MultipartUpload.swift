import Foundation

/// An unfinished multipart upload: what InitiateMultipartUpload recorded.
struct MultipartUpload: Sendable, Hashable {
    var bucket: String
    var key: String
    /// 32 upper-case hexadecimal characters: unreserved, so it needs no URL encoding.
    var uploadID: String
    var initiated: Date
    /// Applied to the object at Complete (with Complete's ACL, if it sends one).
    var attributes: ObjectAttributes
    /// The checksum an S3 client asked the parts and the object to carry (value empty).
    var checksum: ObjectChecksums.Requested?

    init(
        bucket: String, key: String, uploadID: String, initiated: Date, attributes: ObjectAttributes,
        checksum: ObjectChecksums.Requested? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.initiated = initiated
        self.attributes = attributes
        self.checksum = checksum
    }
}

/// One uploaded part: what UploadPart and UploadPartCopy return and ListParts shows.
struct PartRecord: Sendable, Hashable {
    /// 1 ... `StorageConfiguration.maxPartNumber`.
    var partNumber: Int
    var size: Int
    /// `"<MD5 hex>"` of the part's bytes, quotes included.
    var etag: String
    /// CRC-64/XZ of the part's bytes (`HashCrc64ecma` in ListParts).
    var crc64: UInt64
    var lastModified: Date
    /// Where the bytes are; at Complete this blob becomes a segment of the object.
    var blob: BlobID
    /// The blob's block CRCs (see ``BlobSegment/blocks``).
    var blocks: BlockChecksums?
    /// Why the scrubber found the part's stored bytes damaged; `nil` while whole. A damaged part
    /// cannot be completed into an object until it is uploaded again.
    var damage: String?
    /// CRC-64/NVME of the part, and the checksum its S3 client declared.
    var checksums: ObjectChecksums

    init(
        partNumber: Int, size: Int, etag: String, crc64: UInt64, lastModified: Date, blob: BlobID,
        blocks: BlockChecksums? = nil, damage: String? = nil, checksums: ObjectChecksums = .none
    ) {
        self.checksums = checksums
        self.partNumber = partNumber
        self.size = size
        self.etag = etag
        self.crc64 = crc64
        self.lastModified = lastModified
        self.blob = blob
        self.blocks = blocks
        self.damage = damage
    }

    var segment: BlobSegment { BlobSegment(blob: blob, size: size, crc64: crc64, blocks: blocks) }
}

/// A part as CompleteMultipartUpload lists it.
struct CompletedPart: Sendable, Hashable {
    var partNumber: Int
    /// Compared with the stored ETag without quotes and case-insensitively.
    var etag: String
    /// The part's checksum as the S3 client listed it (`ChecksumCRC32` …), compared with the
    /// stored one when present.
    var checksum: String?

    init(partNumber: Int, etag: String, checksum: String? = nil) {
        self.partNumber = partNumber
        self.etag = etag
        self.checksum = checksum
    }
}

/// Which parts make up the completed object.
enum PartSelection: Sendable, Hashable {
    /// The parts the client listed (XML body), in the order listed.
    case listed([CompletedPart])
    /// Every uploaded part in ascending order (`x-oss-complete-all: yes`).
    case all
}
