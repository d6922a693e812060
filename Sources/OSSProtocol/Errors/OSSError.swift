/// An OSS error response: the code and status the SDKs dispatch on, plus the XML children they read.
///
/// oss2 picks its exception class from the pair (HTTP status, `Code`), so the two always travel
/// together. The request id and host id are not part of the value: the server knows them only
/// when it renders the response (``xml(requestID:hostID:)``).
public struct OSSError: Error, Sendable {
    /// The OSS error code, such as `NoSuchKey`.
    public var code: String
    /// The HTTP status code, such as 404.
    public var status: Int
    /// The human-readable message.
    public var message: String
    /// Extra `<Error>` children after `HostId`, in order (for example `Key`, `ArgumentName`, `EC`).
    public var details: [(name: String, value: String)]
    /// Extra response headers the SDKs read with this error, such as `x-oss-next-append-position`.
    public var headers: [(name: String, value: String)]
    /// The `RequestId` read from a parsed error body; `nil` for errors created locally.
    public var requestID: String?
    /// The `HostId` read from a parsed error body; `nil` for errors created locally.
    public var hostID: String?

    /// Creates an error; prefer the static constructors (``noSuchKey(_:)`` …), which carry OSS's
    /// messages and children.
    public init(
        code: String,
        status: Int,
        message: String,
        details: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = []
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers
    }

    /// The value of the first extra child with this element name, such as `"Key"` or `"EC"`.
    public func detail(_ name: String) -> String? {
        details.first { $0.name == name }?.value
    }
}

extension OSSError: Equatable {
    /// Field-by-field equality, details and headers in order.
    public static func == (lhs: OSSError, rhs: OSSError) -> Bool {
        lhs.code == rhs.code && lhs.status == rhs.status && lhs.message == rhs.message
            && lhs.details.elementsEqual(rhs.details) { $0 == $1 }
            && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
            && lhs.requestID == rhs.requestID && lhs.hostID == rhs.hostID
    }
}

extension OSSError: CustomStringConvertible {
    /// `Code (status): message`, for logs.
    public var description: String {
        "\(code) (\(status)): \(message)"
    }
}
