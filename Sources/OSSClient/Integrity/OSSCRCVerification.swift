/// What the SDK could prove about a transfer's bytes.
///
/// A missing server CRC is not success: it is reported as ``unverified(_:)`` with the reason,
/// so a caller that needs proof can insist on ``isVerified``. A mismatch is never a value of
/// this type: it is thrown as ``OSSClientError/crcMismatch(_:)``.
public enum OSSCRCVerification: Sendable, Hashable {
    /// The CRC-64/XZ computed here equals the server's; the value is that CRC.
    case verified(UInt64)
    /// No comparison was possible.
    case unverified(Reason)

    /// Why a transfer could not be checked.
    public enum Reason: Sendable, Hashable {
        /// ``OSSClientConfiguration/verifiesCRC64`` is off.
        case disabled
        /// The response had no `x-oss-hash-crc64ecma` header.
        case serverCRCAbsent
        /// A ranged read: the server's CRC covers the whole object, not the range.
        case partialContent
        /// A part of the operation could not be checked (for example a part without a CRC),
        /// so the combination cannot be either.
        case incompleteParts
    }

    /// Whether the bytes were proven intact.
    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }
}

/// A CRC-64 mismatch: which transfer, what the server said, what the client computed.
public struct OSSCRCMismatch: Sendable, Hashable, CustomStringConvertible {
    /// The operation, such as `GetObject`, `UploadPart 3` or `CompleteMultipartUpload`.
    public var operation: String
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// The CRC the server reported (`x-oss-hash-crc64ecma`, or a HEAD's for combined downloads).
    public var serverCRC: UInt64
    /// The CRC of the bytes this client sent or received (or their combination).
    public var clientCRC: UInt64

    /// Creates a mismatch description.
    public init(operation: String, bucket: String, key: String, serverCRC: UInt64, clientCRC: UInt64) {
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.serverCRC = serverCRC
        self.clientCRC = clientCRC
    }

    /// One line for logs.
    public var description: String {
        "CRC-64 mismatch in \(operation) of \(bucket)/\(key): server \(serverCRC), client \(clientCRC)"
    }
}

/// The one comparison rule every transfer uses, so that "absent" and "disabled" are reported
/// the same way everywhere.
struct CRCCheck {
    let enabled: Bool
    let operation: String
    let bucket: String
    let key: String

    /// Compares a server CRC (if any) with the client's.
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when both exist and differ.
    func verify(server: UInt64?, client: UInt64) throws(OSSClientError) -> OSSCRCVerification {
        guard enabled else { return .unverified(.disabled) }
        guard let server else { return .unverified(.serverCRCAbsent) }
        guard server == client else {
            throw .crcMismatch(
                OSSCRCMismatch(operation: operation, bucket: bucket, key: key, serverCRC: server, clientCRC: client))
        }
        return .verified(client)
    }
}
