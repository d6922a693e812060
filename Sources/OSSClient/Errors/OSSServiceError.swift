import Foundation
import OSSProtocol

/// An error response from the service, with every field a caller or a support ticket needs.
///
/// It wraps the ``OSSError`` the response carried (the same type the server renders), adding
/// what only the response headers tell: the request id and EC when the body lacks them, and an
/// appender's next position.
public struct OSSServiceError: Error, Sendable, CustomStringConvertible {
    /// The error as the body (or `x-oss-err`) carried it, with the request id and EC of the
    /// headers filled in when the body had none.
    public var error: OSSError
    /// `x-oss-next-append-position`, which tells an appender where to continue.
    public var nextAppendPosition: Int64?
    /// On `PositionNotEqualToLength`, the whole object's CRC-64 at ``nextAppendPosition`` (the
    /// `x-oss-hash-crc64ecma` of the 409): pass both to the next append to resume without a HEAD.
    public var nextAppendCRC64: UInt64?

    /// The HTTP status, such as 404.
    public var status: Int { error.status }
    /// The OSS code, such as `NoSuchKey`; `HTTP<status>` when the response carried none (a 304 or
    /// a bodiless HEAD error without `x-oss-err`).
    public var code: String { error.code }
    /// The server's message.
    public var message: String { error.message }
    /// `RequestId` from the body, else the `x-oss-request-id` header: quote it to support.
    public var requestID: String? { error.requestID }
    /// `HostId` from the body.
    public var hostID: String? { error.hostID }
    /// The detailed error code (`EC`, such as `0026-00000001`), from the body or `x-oss-ec`.
    public var ec: String? { error.detail("EC") }
    /// Every other `<Error>` child (`Key`, `ArgumentName`, …); the first of each name.
    public var details: [String: String] {
        var details: [String: String] = [:]
        for detail in error.details where detail.name != "EC" && details[detail.name] == nil {
            details[detail.name] = detail.value
        }
        return details
    }

    /// Whether the server refused stored bytes that failed its CRC-64 check (see
    /// `OSSError.damagedObject`): the object needs restoring; retrying cannot help.
    public var isDamagedObject: Bool { error.isDamagedObject }

    /// Wraps an error.
    public init(_ error: OSSError, nextAppendPosition: Int64? = nil, nextAppendCRC64: UInt64? = nil) {
        self.error = error
        self.nextAppendPosition = nextAppendPosition
        self.nextAppendCRC64 = nextAppendCRC64
    }

    /// Creates an error from its fields.
    public init(
        status: Int, code: String, message: String, requestID: String? = nil, hostID: String? = nil,
        ec: String? = nil, details: [String: String] = [:], nextAppendPosition: Int64? = nil,
        nextAppendCRC64: UInt64? = nil
    ) {
        var error = OSSError(
            code: code, status: status, message: message,
            details: details.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) })
        if let ec { error.details.append((name: "EC", value: ec)) }
        error.requestID = requestID
        error.hostID = hostID
        self.init(error, nextAppendPosition: nextAppendPosition, nextAppendCRC64: nextAppendCRC64)
    }

    /// `Code (status): message [RequestId, EC]`.
    public var description: String {
        var text = "\(code) (\(status)): \(message)"
        if let requestID { text += " [RequestId \(requestID)]" }
        if let ec { text += " [EC \(ec)]" }
        return text
    }

    /// Reads an error response: the XML body, else `x-oss-err` (HEAD), else the status alone.
    init(status: Int, body: [UInt8], header: (String) -> String?) {
        var document = body
        if document.isEmpty, let encoded = header(OSSHeader.error), let decoded = Data(base64Encoded: encoded) {
            document = Array(decoded)
        }
        var error: OSSError
        if !document.isEmpty, let parsed = try? OSSError(parsing: document, status: status) {
            error = parsed
        } else {
            let text = String(decoding: document.prefix(512), as: UTF8.self)
            error = OSSError(
                code: status == 304 ? "NotModified" : "HTTP\(status)", status: status,
                message: text.isEmpty ? "The response had no error body." : text)
        }
        error.requestID = error.requestID ?? header(OSSHeader.requestID)
        if error.detail("EC") == nil, let ec = header(OSSHeader.errorCode) { error.details.append((name: "EC", value: ec)) }
        let nextAppendPosition = header(OSSHeader.nextAppendPosition).flatMap { Int64($0) }
        self.init(
            error, nextAppendPosition: nextAppendPosition,
            nextAppendCRC64: nextAppendPosition == nil ? nil : header(OSSHeader.crc64).flatMap { UInt64($0) })
    }
}
