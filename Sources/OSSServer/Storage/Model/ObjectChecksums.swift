import OSSProtocol

/// The checksums an object or part carries besides its CRC-64/XZ: the CRC-64/NVME every upload
/// computes in the same pass (S3's default full-object checksum), and the checksum an S3 client
/// asked for, when it asked for another one.
///
/// Stored as one text column (``column``) of objects, parts and uploads; an upload's holds only
/// what Complete must compute (``Requested/value`` empty).
struct ObjectChecksums: Sendable, Hashable {
    /// CRC-64/NVME of all the bytes; `nil` for bytes stored before it was computed, or that a
    /// copy of part of an object produced without reading them.
    var crc64nvme: UInt64?
    /// The checksum an S3 client declared (and the server verified), when not CRC-64/NVME.
    var requested: Requested?

    /// A checksum an S3 client chose, as S3 shows it.
    struct Requested: Sendable, Hashable {
        var algorithm: S3ChecksumAlgorithm
        var type: S3ChecksumType
        /// The header value: base64 of the digest, with `-N` for a composite one of N parts;
        /// empty for an upload, whose value Complete computes.
        var value: String

        init(algorithm: S3ChecksumAlgorithm, type: S3ChecksumType = .fullObject, value: String = "") {
            self.algorithm = algorithm
            self.type = type
            self.value = value
        }
    }

    init(crc64nvme: UInt64? = nil, requested: Requested? = nil) {
        self.crc64nvme = crc64nvme
        self.requested = requested
    }

    static let none = ObjectChecksums()

    /// The checksums of freshly received bytes: their CRC-64/NVME and what the client declared,
    /// unless that was CRC-64/NVME itself (a full-object one, which ``crc64nvme`` already is).
    static func received(crc64nvme: UInt64, declared: DeclaredChecksum?) -> ObjectChecksums {
        let requested = declared?.verified
        return ObjectChecksums(
            crc64nvme: crc64nvme,
            requested: requested?.algorithm == .crc64nvme && requested?.type == .fullObject ? nil : requested)
    }

    /// `crc64nvme=<decimal>;<ALGORITHM>=<value>;type=<TYPE>`, the parts present; `nil` when none is.
    var column: String? {
        var fields: [String] = []
        if let crc64nvme { fields.append("crc64nvme=\(crc64nvme)") }
        if let requested {
            fields.append("\(requested.algorithm.rawValue)=\(requested.value)")
            fields.append("type=\(requested.type.rawValue)")
        }
        return fields.isEmpty ? nil : fields.joined(separator: ";")
    }

    /// Reads ``column``; fields it does not know are skipped, so an older server reads a newer row.
    init(column: String?) {
        self.init()
        var algorithm: S3ChecksumAlgorithm?
        var value = ""
        var type = S3ChecksumType.fullObject
        for field in (column ?? "").split(separator: ";") {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let name = field[..<equals]
            let text = String(field[field.index(after: equals)...])
            if name == "crc64nvme" {
                crc64nvme = UInt64(text)
            } else if name == "type" {
                type = S3ChecksumType(rawValue: text) ?? .fullObject
            } else if let known = S3ChecksumAlgorithm(rawValue: String(name)) {
                algorithm = known
                value = text
            }
        }
        requested = algorithm.map { Requested(algorithm: $0, type: type, value: value) }
    }
}
