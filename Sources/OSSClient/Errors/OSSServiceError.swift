import Foundation
import OSSProtocol

/// An error response from the service (§5.1), with every field a caller or a support ticket needs.
public struct OSSServiceError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status, such as 404.
    public var status: Int
    /// The OSS code, such as `NoSuchKey`; `HTTP<status>` when the response carried none (a 304 or
    /// a bodiless HEAD error without `x-oss-err`).
    public var code: String
    /// The server's message.
    public var message: String
    /// `RequestId` from the body, else the `x-oss-request-id` header: quote it to support.
    public var requestID: String?
    /// `HostId` from the body.
    public var hostID: String?
    /// The detailed error code (`EC`, such as `0026-00000001`), from the body or `x-oss-ec`.
    public var ec: String?
    /// Every other `<Error>` child (`Key`, `ArgumentName`, …), in order.
    public var details: [String: String]
    /// `x-oss-next-append-position`, which tells an appender where to continue.
    public var nextAppendPosition: Int64?
    /// On `PositionNotEqualToLength`, the whole object's CRC-64 at ``nextAppendPosition`` (the
    /// `x-oss-hash-crc64ecma` of the 409): pass both to the next append to resume without a HEAD.
    public var nextAppendCRC64: UInt64?

    /// Whether the server refused stored bytes that failed its CRC-64 check (see
    /// `OSSError.damagedObject`): the object needs restoring; retrying cannot help.
    public var isDamagedObject: Bool { details[OSSError.damagedObjectElement] != nil }

    /// Creates an error.
    public init(
        status: Int, code: String, message: String, requestID: String? = nil, hostID: String? = nil,
        ec: String? = nil, details: [String: String] = [:], nextAppendPosition: Int64? = nil,
        nextAppendCRC64: UInt64? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.hostID = hostID
        self.ec = ec
        self.details = details
        self.nextAppendPosition = nextAppendPosition
        self.nextAppendCRC64 = nextAppendCRC64
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
        if !document.isEmpty, let parsed = try? OSSError(parsing: document, status: status) {
            var details: [String: String] = [:]
            for detail in parsed.details where details[detail.name] == nil { details[detail.name] = detail.value }
            self.init(
                status: status, code: parsed.code, message: parsed.message,
                requestID: parsed.requestID ?? header(OSSHeader.requestID), hostID: parsed.hostID,
                ec: details.removeValue(forKey: "EC") ?? header("x-oss-ec"), details: details)
        } else {
            let text = String(decoding: document.prefix(512), as: UTF8.self)
            self.init(
                status: status, code: status == 304 ? "NotModified" : "HTTP\(status)",
                message: text.isEmpty ? "The response had no error body." : text,
                requestID: header(OSSHeader.requestID), ec: header("x-oss-ec"))
        }
        nextAppendPosition = header(OSSHeader.nextAppendPosition).flatMap { Int64($0) }
        if nextAppendPosition != nil { nextAppendCRC64 = header(OSSHeader.crc64).flatMap { UInt64($0) } }
    }
}
