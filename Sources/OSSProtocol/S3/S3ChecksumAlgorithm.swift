import Foundation

/// The checksum algorithms of S3's flexible checksums, with their wire names and value format.
///
/// A client names the algorithm in `x-amz-checksum-algorithm` (or `x-amz-sdk-checksum-algorithm`)
/// and sends the value in `x-amz-checksum-<name>`, as a header or an aws-chunked trailer; the
/// server returns the same header. The value is always the base64 of the big-endian digest, so a
/// value of the wrong length is caught here, before any digest is compared.
package enum S3ChecksumAlgorithm: String, CaseIterable, Sendable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case crc64nvme = "CRC64NVME"
    case sha1 = "SHA1"
    case sha256 = "SHA256"

    /// The algorithm named by `x-amz-checksum-algorithm` or `x-amz-sdk-checksum-algorithm`.
    ///
    /// Matched case-insensitively (SDKs send `CRC32`, some tools `crc32`), after trimming spaces;
    /// `nil` for a name S3 does not know.
    package init?(algorithmName: some StringProtocol) {
        let name = algorithmName.trimmingHTTPWhitespace().uppercased()
        guard let algorithm = Self(rawValue: name) else { return nil }
        self = algorithm
    }

    /// The algorithm whose value travels in the header (or trailer) `name`, such as
    /// `x-amz-checksum-crc32c`; matched case-insensitively.
    package init?(headerName name: some StringProtocol) {
        let lowered = name.lowercased()
        guard let algorithm = Self.allCases.first(where: { $0.headerName == lowered }) else { return nil }
        self = algorithm
    }

    /// The header, and trailer, that carries the value: `x-amz-checksum-crc32` and so on.
    package var headerName: String { "x-amz-checksum-" + rawValue.lowercased() }

    /// The digest's length in bytes.
    package var digestLength: Int {
        switch self {
        case .crc32, .crc32c: 4
        case .crc64nvme: 8
        case .sha1: 20
        case .sha256: 32
        }
    }

    /// The digest carried by a header value: base64 of exactly ``digestLength`` bytes.
    ///
    /// - Throws: ``S3ChecksumValueError`` when the text is not base64 or decodes to a digest of
    ///   another length (a CRC-32 sent as `x-amz-checksum-sha256`, say).
    package func digest(fromHeaderValue value: some StringProtocol) throws(S3ChecksumValueError) -> [UInt8] {
        let text = value.trimmingHTTPWhitespace()
        guard let data = Data(base64Encoded: text) else {
            throw S3ChecksumValueError(algorithm: self, value: text, reason: .notBase64)
        }
        guard data.count == digestLength else {
            throw S3ChecksumValueError(algorithm: self, value: text, reason: .wrongLength(data.count))
        }
        return Array(data)
    }

    /// The header value of `digest`: base64 of the big-endian bytes.
    ///
    /// - Parameter partCount: for a `COMPOSITE` multipart checksum (a checksum of the parts'
    ///   checksums), the number of parts, which S3 appends as `-N`.
    package func headerValue(digest: some Collection<UInt8>, partCount: Int? = nil) -> String {
        precondition(digest.count == digestLength, "a \(rawValue) digest has \(digestLength) bytes")
        let text = Base64.encode(digest)
        return partCount.map { "\(text)-\($0)" } ?? text
    }

    /// The header value of a CRC held in an integer (CRC-32, CRC-32C or CRC-64/NVME).
    package func headerValue(crc: UInt64, partCount: Int? = nil) -> String {
        precondition(digestLength <= 8, "\(rawValue) is not a CRC")
        return headerValue(digest: Self.bigEndian(crc, count: digestLength), partCount: partCount)
    }

    /// The CRC a header value carries, as an integer (CRC-32, CRC-32C or CRC-64/NVME; any CRC of
    /// the same width reads the same, so a CRC-64/XZ in S3's notation too).
    ///
    /// - Throws: ``S3ChecksumValueError`` as ``digest(fromHeaderValue:)``.
    package func crc(fromHeaderValue value: some StringProtocol) throws(S3ChecksumValueError) -> UInt64 {
        precondition(digestLength <= 8, "\(rawValue) is not a CRC")
        return Self.integer(bigEndian: try digest(fromHeaderValue: value))
    }

    /// The `count` low bytes of `value`, most significant first: how S3 writes a CRC's digest.
    package static func bigEndian(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The integer whose big-endian bytes these are (at most 8).
    package static func integer(bigEndian bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}

/// How a multipart upload's checksum covers the object, from `x-amz-checksum-type`.
package enum S3ChecksumType: String, CaseIterable, Sendable {
    /// One checksum of the whole object, as if uploaded in one piece (CRCs combine part by part).
    case fullObject = "FULL_OBJECT"
    /// A checksum of the parts' checksums, reported with a `-N` part count.
    case composite = "COMPOSITE"
}

/// A checksum header value that cannot be the algorithm's digest.
package struct S3ChecksumValueError: Error, Sendable, Hashable {
    /// Why the value was rejected.
    package enum Reason: Sendable, Hashable {
        /// The text is not standard padded base64.
        case notBase64
        /// The value decoded to this many bytes instead of the algorithm's digest length.
        case wrongLength(Int)
    }

    /// The algorithm whose header carried the value.
    package var algorithm: S3ChecksumAlgorithm
    /// The value as received (trimmed).
    package var value: String
    /// What is wrong with it.
    package var reason: Reason

    /// A message for the error response, naming the header and what was expected.
    package var message: String {
        switch reason {
        case .notBase64:
            "The value of \(algorithm.headerName) is not base64: send the base64 of the "
                + "\(algorithm.digestLength)-byte digest."
        case .wrongLength(let length):
            "The value of \(algorithm.headerName) decodes to \(length) bytes; a \(algorithm.rawValue) digest has "
                + "\(algorithm.digestLength)."
        }
    }
}
