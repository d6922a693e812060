import CRC64
import Foundation
import OSSProtocol

/// The CompleteMultipartUpload rules (§3.7), as a pure function of the upload and its parts, so
/// that every metadata backend applies them identically inside its transaction.
struct MultipartAssembly: Sendable {
    var selection: PartSelection
    var minimumPartSize: Int
    /// Complete's `x-oss-object-acl`, which OSS takes at Complete rather than at Initiate.
    var objectACL: OSSObjectACL?
    var completed: Date
    /// The whole object's checksum as the S3 client computed it (value only), checked against
    /// the one combined from the parts.
    var expectedChecksum: ObjectChecksums.Requested? = nil

    /// The object made of the selected parts, without copying a byte: its segments are the
    /// parts' blobs, its CRC-64 the combination of theirs, its ETag OSS's multipart ETag.
    ///
    /// Throws `invalidArgument` for an empty selection, `invalidPartOrder`, `invalidPart` (missing
    /// part or ETag mismatch), `damagedPart` (one the scrubber found damaged: an object made of
    /// it would only be refused on every read) and `entityTooSmall` (a part other than the last
    /// below the minimum).
    func assemble(_ upload: MultipartUpload, _ parts: [PartRecord]) throws(StorageError) -> ObjectRecord {
        let chosen = try choose(from: parts)
        if let damaged = chosen.first(where: { $0.damage != nil }) {
            throw StorageError.damagedPart(partNumber: damaged.partNumber, reason: damaged.damage ?? "")
        }
        for part in chosen.dropLast() where part.size < minimumPartSize {
            throw StorageError.entityTooSmall(partNumber: part.partNumber, size: part.size, minimum: minimumPartSize)
        }
        var digests: [[UInt8]] = []
        for part in chosen {
            guard let digest = OSSETag.md5(fromETag: part.etag) else {
                throw StorageError.metadata(detail: "part \(part.partNumber) has a malformed ETag \(part.etag)")
            }
            digests.append(digest)
        }
        let crc = chosen.reduce(UInt64(0)) { CRC64.xz.combine($0, $1.crc64, lengthOfB: $1.size) }
        var attributes = upload.attributes
        if let objectACL { attributes.acl = objectACL }
        return ObjectRecord(
            bucket: upload.bucket, key: upload.key, size: chosen.reduce(0) { $0 + $1.size },
            etag: OSSETag.multipart(partDigests: digests), crc64: crc, lastModified: completed, type: .multipart,
            attributes: attributes, segments: chosen.map(\.segment),
            checksums: try checkedChecksums(of: chosen, requested: upload.checksum)
        )
    }

    private func choose(from parts: [PartRecord]) throws(StorageError) -> [PartRecord] {
        switch selection {
        case .all:
            guard !parts.isEmpty else { throw StorageError.invalidArgument("the upload has no parts to complete") }
            return parts
        case .listed(let listed):
            guard !listed.isEmpty else { throw StorageError.invalidArgument("the part list is empty") }
            for (previous, next) in zip(listed, listed.dropFirst()) where next.partNumber <= previous.partNumber {
                throw StorageError.invalidPartOrder
            }
            let uploaded = Dictionary(parts.map { ($0.partNumber, $0) }, uniquingKeysWith: { first, _ in first })
            var chosen: [PartRecord] = []
            for wanted in listed {
                guard let part = uploaded[wanted.partNumber], OSSETag.matches(part.etag, wanted.etag),
                    wanted.checksum == nil || wanted.checksum == part.checksums.requested?.value
                        || (wanted.checksum == part.checksums.crc64nvme.map { S3ChecksumAlgorithm.crc64nvme.headerValue(crc: $0) })
                else {
                    throw StorageError.invalidPart(partNumber: wanted.partNumber)
                }
                chosen.append(part)
            }
            return chosen
        }
    }
}
