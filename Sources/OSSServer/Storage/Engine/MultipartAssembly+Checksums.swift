import CRC64
import OSSProtocol

extension MultipartAssembly {
    /// ``checksums(of:requested:)``, refused with `checksumMismatch` when the client's own value
    /// of the whole object (``expectedChecksum``) is another.
    func checkedChecksums(of parts: [PartRecord], requested: ObjectChecksums.Requested?) throws(StorageError)
        -> ObjectChecksums
    {
        let checksums = try Self.checksums(of: parts, requested: requested)
        guard let expectedChecksum else { return checksums }
        let computed = expectedChecksum.algorithm == .crc64nvme && checksums.requested == nil
            ? checksums.crc64nvme.map { S3ChecksumAlgorithm.crc64nvme.headerValue(crc: $0) }
            : checksums.requested.flatMap { $0.algorithm == expectedChecksum.algorithm ? $0.value : nil }
        guard computed == expectedChecksum.value else {
            throw .checksumMismatch(algorithm: expectedChecksum.algorithm.rawValue)
        }
        return checksums
    }

    /// The checksums of an object made of `parts`, computed from theirs without reading a byte.
    ///
    /// CRC-64/NVME is always the whole object's (the parts' combined, S3's `FULL_OBJECT`), when
    /// every part has one. The checksum the upload asked for is, as S3 defines it, either the
    /// parts' CRCs combined (`FULL_OBJECT`: CRC-32, CRC-32C, CRC-64/NVME) or the same algorithm
    /// over the concatenated part digests, with `-N` (`COMPOSITE`).
    ///
    /// Throws `invalidArgument` when the upload asked for a checksum a part was uploaded without.
    static func checksums(of parts: [PartRecord], requested: ObjectChecksums.Requested?) throws(StorageError)
        -> ObjectChecksums
    {
        var checksums = ObjectChecksums()
        if parts.allSatisfy({ $0.checksums.crc64nvme != nil }) {
            checksums.crc64nvme = parts.reduce(UInt64(0)) { CRC64.nvme.combine($0, $1.checksums.crc64nvme ?? 0, lengthOfB: $1.size) }
        }
        guard let requested else { return checksums }
        if requested.algorithm == .crc64nvme, requested.type == .fullObject { return checksums }
        var digests: [[UInt8]] = []
        for part in parts {
            let value = requested.algorithm == .crc64nvme
                ? part.checksums.crc64nvme.map { requested.algorithm.headerValue(crc: $0) }
                : part.checksums.requested.flatMap { $0.algorithm == requested.algorithm ? $0.value : nil }
            guard let value, let digest = try? requested.algorithm.digest(fromHeaderValue: value) else {
                throw StorageError.invalidArgument(
                    "part \(part.partNumber) was uploaded without the \(requested.algorithm.rawValue) checksum the upload was created with")
            }
            digests.append(digest)
        }
        var object = requested
        switch requested.type {
        case .composite:
            var hasher = S3ChecksumHasher(requested.algorithm)
            for digest in digests { digest.withUnsafeBytes { hasher.update($0) } }
            object.value = requested.algorithm.headerValue(digest: hasher.finalize(), partCount: parts.count)
        case .fullObject:
            guard let combined = combine(digests, sizes: parts.map(\.size), algorithm: requested.algorithm) else {
                throw StorageError.invalidArgument("\(requested.algorithm.rawValue) cannot be a full-object checksum of parts")
            }
            object.value = requested.algorithm.headerValue(digest: combined)
        }
        checksums.requested = object
        return checksums
    }

    /// The CRC of the concatenation, from the parts' CRCs and lengths; `nil` for a hash.
    private static func combine(_ digests: [[UInt8]], sizes: [Int], algorithm: S3ChecksumAlgorithm) -> [UInt8]? {
        let values = digests.map(S3ChecksumAlgorithm.integer(bigEndian:))
        switch algorithm {
        case .crc32, .crc32c:
            let variant: CRC32.Variant = algorithm == .crc32 ? .ieee : .castagnoli
            var crc: UInt32 = 0
            for (value, size) in zip(values, sizes) {
                crc = CRC32.combine(crc, UInt32(truncatingIfNeeded: value), lengthB: size, variant: variant)
            }
            return S3ChecksumAlgorithm.bigEndian(UInt64(crc), count: 4)
        case .crc64nvme:
            let crc = zip(values, sizes).reduce(UInt64(0)) { CRC64.nvme.combine($0, $1.0, lengthOfB: $1.1) }
            return S3ChecksumAlgorithm.bigEndian(crc, count: 8)
        case .sha1, .sha256:
            return nil
        }
    }
}
