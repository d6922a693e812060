import Foundation
import NIOCore
import OSSProtocol

/// One contiguous piece of an object's bytes: a whole blob file.
///
/// A Normal object has one segment; a Multipart object has one per part, in part order, which is
/// why CompleteMultipartUpload copies no bytes. Each segment keeps its own CRC-64, and the
/// object's CRC is their combination; its block CRCs let a reader verify any range it serves.
struct BlobSegment: Sendable, Hashable {
    /// The blob holding the bytes.
    var blob: BlobID
    /// The segment's length in bytes (the blob file's length).
    var size: Int
    /// CRC-64/XZ of the segment's bytes.
    var crc64: UInt64
    /// The CRC of each block of the blob; `nil` when the segment is a single block (small
    /// blobs, and blobs written before block CRCs existed), whose CRC is ``crc64``.
    var blocks: BlockChecksums?
    /// The bytes themselves for a small body kept in the metadata (no blob file exists then;
    /// ``blob`` still names the bytes for reference counting and leases).
    var inline: ByteBuffer?

    init(blob: BlobID, size: Int, crc64: UInt64, blocks: BlockChecksums? = nil, inline: ByteBuffer? = nil) {
        self.blob = blob
        self.size = size
        self.crc64 = crc64
        self.blocks = blocks
        self.inline = inline
    }

    /// The length of the units this segment is verified in.
    var blockSize: Int { blocks?.blockSize ?? Swift.max(size, 1) }

    /// The CRC-64 recorded for block `index`.
    func blockCRC(_ index: Int) -> UInt64 { blocks?.crcs[index] ?? crc64 }

    /// Whether the recorded blocks cover exactly `size` bytes.
    var blocksAreConsistent: Bool {
        guard let blocks else { return true }
        return blocks.crcs.count == BlockChecksums.blockCount(size: size, blockSize: blocks.blockSize)
    }
}

/// An object as stored: everything HEAD and GET report, and where its bytes are.
struct ObjectRecord: Sendable, Hashable {
    var bucket: String
    var key: String
    /// Length in bytes (`Content-Length` of a whole-object GET).
    var size: Int
    /// The `ETag` exactly as served, quotes included: `"<MD5 hex>"` for objects written by Put,
    /// `"<hex>-<parts>"` for Multipart ones, `"<hex>-<appends>"` for Appendable ones (see
    /// ``ObjectAppend/etag(previous:appendedMD5:segments:)``), the MD5 of the target's name for
    /// symlinks; a copy keeps its source's. Bare hex is always the MD5 of the bytes.
    var etag: String
    /// CRC-64/XZ of the whole object (`x-oss-hash-crc64ecma`), also for ranged reads.
    var crc64: UInt64
    var lastModified: Date
    var type: OSSObjectType
    var attributes: ObjectAttributes
    /// The key a Symlink object points to; `nil` for every other type.
    var symlinkTarget: String?
    /// The object's bytes in order; their sizes add up to `size`. Copies share them.
    var segments: [BlobSegment]
    /// When SealAppendObject first sealed this Appendable object; a sealed object takes no more
    /// appends. `nil` for every unsealed object.
    var sealedTime: Date?
    /// RestoreObject's state of an archived object; `nil` when never restored.
    var restore: RestoreState?
    /// The version as clients see it (``ObjectVersionID``): a version id, `null` for the version
    /// written while versioning was off or suspended, and `nil` in a bucket whose versioning was
    /// never on, where OSS names no version at all. The metadata store sets it on every record it
    /// writes or reads; what a caller puts here before a write is ignored.
    var versionID: String?
    /// Why the stored bytes may not be served, when the scrubber found them damaged at rest
    /// (``ObjectStorage/scrub(_:)``); `nil` for an object whose bytes were last found whole.
    /// Kept by writes that keep the bytes (appends, attribute changes); a new upload has none.
    var damage: String?
    /// The checksums S3 shows besides the CRC-64/XZ (``ObjectChecksums``): they describe the bytes,
    /// so copies keep them and appends extend them.
    var checksums: ObjectChecksums

    init(
        bucket: String, key: String, size: Int, etag: String, crc64: UInt64, lastModified: Date,
        type: OSSObjectType, attributes: ObjectAttributes, symlinkTarget: String? = nil, segments: [BlobSegment],
        sealedTime: Date? = nil, restore: RestoreState? = nil, versionID: String? = nil, damage: String? = nil,
        checksums: ObjectChecksums = .none
    ) {
        self.checksums = checksums
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
        self.crc64 = crc64
        self.lastModified = lastModified
        self.type = type
        self.attributes = attributes
        self.symlinkTarget = symlinkTarget
        self.segments = segments
        self.sealedTime = sealedTime
        self.restore = restore
        self.versionID = versionID
        self.damage = damage
    }

    /// Throws ``StorageError/corruptObject(bucket:key:reason:)`` when the scrubber marked the
    /// bytes damaged: GET, HEAD and copies are refused before any byte, as for damage a read finds.
    func checkUndamaged() throws(StorageError) {
        guard let damage else { return }
        throw .corruptObject(bucket: bucket, key: key, reason: "the scrubber found its stored bytes damaged: \(damage)")
    }

    /// Whether the bytes may be read at `now`: always, except for an archived object that is
    /// not restored at that time (OSS answers 403 `InvalidObjectState`).
    func isReadable(at now: Date) -> Bool {
        guard attributes.storageClass.isArchive else { return true }
        return restore?.isRestored(at: now) ?? false
    }

    /// The `Content-MD5` header value (base64 of the body's MD5) where OSS sends one: Normal
    /// objects, whose ETag is that MD5.
    var contentMD5: String? {
        guard type == .normal, let digest = OSSETag.md5(fromETag: etag) else { return nil }
        return OSSContentMD5.value(digest: digest)
    }

    /// What listings show of this object.
    var summary: ObjectSummary {
        ObjectSummary(
            key: key, size: size, etag: etag, crc64: crc64, lastModified: lastModified, type: type,
            storageClass: attributes.storageClass, restore: restore
        )
    }
}

/// An object as ListObjects shows it: no attributes, no segments.
struct ObjectSummary: Sendable, Hashable {
    var key: String
    var size: Int
    var etag: String
    var crc64: UInt64
    var lastModified: Date
    var type: OSSObjectType
    var storageClass: OSSStorageClass
    var restore: RestoreState? = nil
}
