/// Every failure the SDK reports, as a value a caller can switch on.
///
/// Cancellation is reported as Swift's `CancellationError`, as everywhere in structured
/// concurrency, and is never wrapped.
public enum OSSClientError: Error, Sendable {
    /// The service answered with an OSS error (status, code, message, request id, EC).
    case service(OSSServiceError)
    /// Bytes were corrupted: a CRC-64 computed here differs from the one the server reported.
    /// Nothing is left at a download's destination when this is thrown.
    case crcMismatch(OSSCRCMismatch)
    /// The request did not complete: connection refused or reset, timeout, truncated body.
    case transport(OSSTransportFailure)
    /// The server answered something that is not valid OSS (bad XML, missing header, wrong range).
    case invalidResponse(String)
    /// The caller asked for something impossible; the message says what to change.
    case invalidArgument(String)
    /// A checkpoint no longer matches the local file or the remote object, and the options say
    /// to fail rather than start over.
    case staleCheckpoint(String)
    /// A local file could not be read or written.
    case localFile(path: String, reason: String)
    /// The credentials provider could not supply keys; nothing was sent.
    case credentialsUnavailable(String)
}

extension OSSClientError {
    /// The service's error, when the service answered with one.
    public var serviceError: OSSServiceError? {
        if case .service(let error) = self { return error }
        return nil
    }

    /// The OSS error code (`NoSuchKey` …), when the service answered with an error.
    public var serviceCode: String? { serviceError?.code }

    /// Whether bytes were found corrupted by a CRC-64 comparison, here or by the server refusing
    /// a body whose declared CRC-64 it did not receive.
    public var isCRCMismatch: Bool {
        if case .crcMismatch = self { return true }
        return false
    }

    /// Whether the server refused stored bytes that failed its own CRC-64 check: the object is
    /// damaged at rest and needs restoring.
    public var isDamagedObject: Bool { serviceError?.isDamagedObject ?? false }

    /// Whether the request did not complete (connection refused or reset, timeout, truncated body).
    public var isTransportFailure: Bool {
        if case .transport = self { return true }
        return false
    }
}

extension OSSClientError: CustomStringConvertible {
    /// One line naming the problem, for logs and CLI output.
    public var description: String {
        switch self {
        case .service(let error): return error.description
        case .crcMismatch(let mismatch): return mismatch.description
        case .transport(let failure): return failure.description
        case .invalidResponse(let message): return "Invalid response: \(message)"
        case .invalidArgument(let message): return "Invalid argument: \(message)"
        case .staleCheckpoint(let message): return "Stale checkpoint: \(message)"
        case .localFile(let path, let reason): return "\(path): \(reason)"
        case .credentialsUnavailable(let message): return "No credentials: \(message)"
        }
    }
}

/// A request that failed below HTTP: the underlying error and how many attempts were made.
public struct OSSTransportFailure: Sendable, CustomStringConvertible {
    /// What AsyncHTTPClient or NIO reported.
    public var underlying: any Error
    /// Attempts made before giving up.
    public var attempts: Int

    /// Creates a failure.
    public init(underlying: any Error, attempts: Int) {
        self.underlying = underlying
        self.attempts = attempts
    }

    /// `transport failure after N attempt(s): …`.
    public var description: String {
        "Transport failure after \(attempts) attempt(s): \(underlying)"
    }
}
