/// Every failure the SDK reports: a ``code`` to compare with, and the details of that kind.
///
/// A struct rather than an enum, so that later versions can add kinds of failure without
/// breaking a caller's exhaustive `switch` (soto-core's `AWSClientError` is the model): compare
/// ``code`` with the static codes, or use the accessors (``serviceError``, ``isCRCMismatch`` …).
///
/// Cancellation is reported as Swift's `CancellationError`, as everywhere in structured
/// concurrency, and is never wrapped.
public struct OSSClientError: Error, Sendable {
    /// What kind of failure this is. New codes may be added; compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case service, crcMismatch, transport, invalidResponse, invalidArgument, staleCheckpoint, localFile
            case credentialsUnavailable
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The service answered with an OSS error (status, code, message, request id, EC).
        public static let service = Code(.service)
        /// Bytes were corrupted: a CRC-64 computed here differs from the one the server reported.
        /// Nothing is left at a download's destination when this is thrown.
        public static let crcMismatch = Code(.crcMismatch)
        /// The request did not complete: connection refused or reset, timeout, truncated body.
        public static let transport = Code(.transport)
        /// The server answered something that is not valid OSS (bad XML, missing header, wrong range).
        public static let invalidResponse = Code(.invalidResponse)
        /// The caller asked for something impossible; the message says what to change.
        public static let invalidArgument = Code(.invalidArgument)
        /// A checkpoint no longer matches the local file or the remote object, and the options say
        /// to fail rather than start over.
        public static let staleCheckpoint = Code(.staleCheckpoint)
        /// A local file could not be read or written.
        public static let localFile = Code(.localFile)
        /// The credentials provider could not supply keys; nothing was sent.
        public static let credentialsUnavailable = Code(.credentialsUnavailable)

        /// The code's name, such as `crcMismatch`.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The service's error, for ``Code/service``.
    public let serviceError: OSSServiceError?
    /// Both CRCs and where, for ``Code/crcMismatch``.
    public let crcMismatch: OSSCRCMismatch?
    /// What failed below HTTP, for ``Code/transport``.
    public let transportFailure: OSSTransportFailure?
    /// What to change or what went wrong, for the other codes.
    public let message: String?
    /// The local file, for ``Code/localFile``.
    public let path: String?

    private init(
        _ code: Code, service: OSSServiceError? = nil, crcMismatch: OSSCRCMismatch? = nil,
        transport: OSSTransportFailure? = nil, message: String? = nil, path: String? = nil
    ) {
        self.code = code
        self.serviceError = service
        self.crcMismatch = crcMismatch
        self.transportFailure = transport
        self.message = message
        self.path = path
    }

    /// The service answered with an OSS error.
    public static func service(_ error: OSSServiceError) -> OSSClientError { .init(.service, service: error) }
    /// A CRC-64 computed here differs from the one the server reported.
    public static func crcMismatch(_ mismatch: OSSCRCMismatch) -> OSSClientError { .init(.crcMismatch, crcMismatch: mismatch) }
    /// The request did not complete.
    public static func transport(_ failure: OSSTransportFailure) -> OSSClientError { .init(.transport, transport: failure) }
    /// The server answered something that is not valid OSS.
    public static func invalidResponse(_ message: String) -> OSSClientError { .init(.invalidResponse, message: message) }
    /// The caller asked for something impossible.
    public static func invalidArgument(_ message: String) -> OSSClientError { .init(.invalidArgument, message: message) }
    /// A checkpoint no longer matches.
    public static func staleCheckpoint(_ message: String) -> OSSClientError { .init(.staleCheckpoint, message: message) }
    /// A local file could not be read or written.
    public static func localFile(path: String, reason: String) -> OSSClientError {
        .init(.localFile, message: reason, path: path)
    }
    /// The credentials provider could not supply keys.
    public static func credentialsUnavailable(_ message: String) -> OSSClientError {
        .init(.credentialsUnavailable, message: message)
    }
}

extension OSSClientError {
    /// The OSS error code (`NoSuchKey` …), when the service answered with an error.
    public var serviceCode: String? { serviceError?.code }

    /// Whether bytes were found corrupted by a CRC-64 comparison, here or by the server refusing
    /// a body whose declared CRC-64 it did not receive.
    public var isCRCMismatch: Bool { code == .crcMismatch }

    /// Whether the server refused stored bytes that failed its own CRC-64 check: the object is
    /// damaged at rest and needs restoring.
    public var isDamagedObject: Bool { serviceError?.isDamagedObject ?? false }

    /// Whether the request did not complete (connection refused or reset, timeout, truncated body).
    public var isTransportFailure: Bool { code == .transport }
}

extension OSSClientError: CustomStringConvertible {
    /// One line naming the problem, for logs and CLI output.
    public var description: String {
        if let serviceError { return serviceError.description }
        if let crcMismatch { return crcMismatch.description }
        if let transportFailure { return transportFailure.description }
        let message = message ?? ""
        switch code {
        case .invalidResponse: return "Invalid response: \(message)"
        case .invalidArgument: return "Invalid argument: \(message)"
        case .staleCheckpoint: return "Stale checkpoint: \(message)"
        case .localFile: return "\(path ?? "?"): \(message)"
        case .credentialsUnavailable: return "No credentials: \(message)"
        default: return "\(code): \(message)"
        }
    }
}

