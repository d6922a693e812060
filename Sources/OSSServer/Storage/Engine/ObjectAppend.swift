import CRC64
import Crypto
import Foundation
import OSSProtocol

/// The AppendObject rules (§3.5), as a pure function of the object's current record, so that
/// every metadata backend applies them inside its transaction: the position check is then a
/// compare-and-swap, and of concurrent appenders at one position exactly one wins.
struct ObjectAppend: Sendable {
    var bucket: String
    var key: String
    var position: Int
    /// The appended bytes, already published; `nil` for an empty body, which adds no segment.
    var appended: BlobSegment?
    /// The MD5 of the appended bytes.
    var appendedMD5: [UInt8]
    /// The CRC-64/NVME of the appended bytes.
    var appendedNVME: UInt64
    /// Applied only when the append creates the object (v2 sends them on every append).
    var attributes: ObjectAttributes
    /// The CRC-64 the client expects of the whole object after the append.
    var expectedCRC64: UInt64?
    /// Largest size the object may reach.
    var maxSize: Int
    var time: Date

    /// The object after the append, in place of `current` (`nil` when the key is missing).
    ///
    /// Its CRC-64 is `current`'s combined with the appended bytes' (never a re-read), its segments
    /// `current`'s plus the appended blob. An empty append changes nothing, except that it creates
    /// an empty object at a missing key. Throws `objectNotAppendable`, `positionNotEqualToLength`,
    /// `entityTooLarge`, `crcMismatch` (whole-object CRC-64 against `expectedCRC64`) or
    /// `invalidArgument` (the tags of an object being created).
    func apply(to current: ObjectRecord?) throws -> ObjectRecord {
        try Self.check(position: position, of: current, bucket: bucket, key: key)
        if current == nil { try ObjectTags.validate(attributes.tags) }
        var object = current ?? ObjectRecord(
            bucket: bucket, key: key, size: 0, etag: Self.etag(previous: nil, appendedMD5: nil, segments: 0), crc64: 0,
            lastModified: time, type: .appendable, attributes: attributes, segments: [],
            checksums: ObjectChecksums(crc64nvme: 0))
        if let appended {
            let size = object.size + appended.size
            guard size <= maxSize else { throw StorageError.entityTooLarge(size: size, limit: maxSize) }
            object.segments.append(appended)
            object.size = size
            object.crc64 = CRC64.xz.combine(object.crc64, appended.crc64, lengthOfB: appended.size)
            // An object appended to before CRC-64/NVME was kept has none, and gets none.
            object.checksums = ObjectChecksums(
                crc64nvme: object.checksums.crc64nvme.map { CRC64.nvme.combine($0, appendedNVME, lengthOfB: appended.size) })
            object.etag = Self.etag(previous: object.etag, appendedMD5: appendedMD5, segments: object.segments.count)
            object.lastModified = time
        }
        if let expectedCRC64, expectedCRC64 != object.crc64 {
            throw StorageError.crcMismatch(expected: expectedCRC64, actual: object.crc64)
        }
        return object
    }

    /// Whether an append at `position` may go to `current`: throws `objectNotAppendable` for any
    /// other type, `positionNotEqualToLength` (with the current length and CRC-64, 0 and 0 for a
    /// missing key) unless `position` is the length.
    static func check(position: Int, of current: ObjectRecord?, bucket: String, key: String) throws(StorageError) {
        if let current, current.type != .appendable {
            throw .objectNotAppendable(bucket: bucket, key: key, type: current.type)
        }
        if current?.sealedTime != nil { throw .objectSealed(bucket: bucket, key: key) }
        let (length, crc64) = current.map { ($0.size, $0.crc64) } ?? (0, 0)
        guard position == length else {
            throw .positionNotEqualToLength(bucket: bucket, key: key, length: length, crc64: crc64)
        }
    }

    /// SealAppendObject's rule: `current` must be an Appendable object of length `position`
    /// (`objectNotAppendable`, `positionNotEqualToLength` as for an append; `noSuchKey` when
    /// missing); it is returned sealed at `time`, or as it is when it was sealed before (the first
    /// seal's time stays, as OSS reports it). Bytes, ETag and Last-Modified do not change.
    static func seal(_ current: ObjectRecord?, position: Int, time: Date, bucket: String, key: String)
        throws(StorageError) -> ObjectRecord
    {
        guard var object = current else { throw .noSuchKey(bucket: bucket, key: key) }
        guard object.sealedTime == nil else { return object }
        try check(position: position, of: object, bucket: bucket, key: key)
        object.sealedTime = time
        return object
    }

    /// An Appendable object's ETag: `"<MD5(previous ETag ‖ appended MD5)>-<segments>"`.
    ///
    /// OSS's are opaque. This one changes with every non-empty append and depends only on the
    /// bytes appended and their order, at the cost of one small MD5 however large the object. The
    /// `-<n>` suffix keeps it from reading as the MD5 of the bytes: 32 bare hex digits always are
    /// one, which is what lets a Normal object derive `Content-MD5` from its ETag even when
    /// CopyObject gave it an Appendable source's. An object without bytes starts the chain from
    /// the MD5 of nothing.
    static func etag(previous: String?, appendedMD5: [UInt8]?, segments: Int) -> String {
        var md5 = Insecure.MD5()
        if let previous { md5.update(data: Array(OSSETag.unquoted(previous).utf8)) }
        if let appendedMD5 { md5.update(data: appendedMD5) }
        return "\"" + OSSETag.unquoted(OSSETag.quoted(md5: md5.finalize())) + "-\(segments)\""
    }
}
