import CRC64
import Crypto
import OSSProtocol

/// Computes one of S3's checksums (`x-amz-checksum-*`) over a body streamed in pieces.
struct S3ChecksumHasher: Sendable {
    let algorithm: S3ChecksumAlgorithm
    private var state: State

    private enum State: Sendable {
        case crc32(CRC32)
        case crc64(CRC64Hasher)
        case sha1(Insecure.SHA1)
        case sha256(SHA256)
    }

    init(_ algorithm: S3ChecksumAlgorithm) {
        self.algorithm = algorithm
        state = switch algorithm {
        case .crc32: .crc32(CRC32(.ieee))
        case .crc32c: .crc32(CRC32(.castagnoli))
        case .crc64nvme: .crc64(CRC64Hasher(.nvme))
        case .sha1: .sha1(Insecure.SHA1())
        case .sha256: .sha256(SHA256())
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .crc32(var crc):
            crc.update(bytes)
            state = .crc32(crc)
        case .crc64(var crc):
            crc.update(bytes)
            state = .crc64(crc)
        case .sha1(var sha):
            sha.update(bufferPointer: bytes)
            state = .sha1(sha)
        case .sha256(var sha):
            sha.update(bufferPointer: bytes)
            state = .sha256(sha)
        }
    }

    /// The digest, big-endian as S3 encodes it (base64 of these bytes is the header value).
    func finalize() -> [UInt8] {
        switch state {
        case .crc32(let crc): S3ChecksumAlgorithm.bigEndian(UInt64(crc.value), count: 4)
        case .crc64(let crc): S3ChecksumAlgorithm.bigEndian(crc.checksum, count: 8)
        case .sha1(let sha): Array(sha.finalize())
        case .sha256(let sha): Array(sha.finalize())
        }
    }
}
