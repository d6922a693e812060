import Foundation

extension OSSError {
    /// The error body of §5.1: the XML declaration, then `<Error>` with `Code`, `Message`,
    /// `RequestId`, `HostId` and the ``details`` in order. Characters XML cannot carry (a NUL in
    /// a refused key) become U+FFFD, so that the body always parses.
    ///
    /// - Parameters:
    ///   - requestID: the response's `x-oss-request-id`; v2 reads it from the body.
    ///   - hostID: the host that answered, such as `bucket.127.0.0.1`.
    public func xml(requestID: String, hostID: String) -> String {
        var writer = OSSXMLWriter()
        writer.element("Error") { writer in
            writer.element("Code", code)
            writer.element("Message", OSSXMLWriter.replacingUnrepresentable(message))
            writer.element("RequestId", requestID)
            writer.element("HostId", hostID)
            for detail in details {
                writer.element(detail.name, OSSXMLWriter.replacingUnrepresentable(detail.value))
            }
        }
        return writer.output
    }

    /// The base64 of ``xml(requestID:hostID:)`` for the `x-oss-err` header, which carries the
    /// error on HEAD responses (they have no body); both SDKs decode it.
    public func base64XML(requestID: String, hostID: String) -> String {
        Data(xml(requestID: requestID, hostID: hostID).utf8).base64EncodedString()
    }

    /// Reads an OSS error body, as a client receives it.
    ///
    /// `Code` and `Message` are required; `RequestId` and `HostId` fill ``requestID`` and
    /// ``hostID``; every other child becomes a detail, in order.
    /// - Parameters:
    ///   - body: the response body (or the decoded `x-oss-err` header).
    ///   - status: the HTTP status of the response.
    /// - Throws: `MalformedXML` when the body is not an `<Error>` document.
    public init(parsing body: some DataProtocol, status: Int) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "Error")
        self.init(code: try root.requiredText("Code"), status: status, message: root.text("Message") ?? "")
        for child in root.children {
            switch child.name {
            case "Code", "Message":
                continue
            case "RequestId":
                requestID = child.text
            case "HostId":
                hostID = child.text
            default:
                details.append((child.name, child.text))
            }
        }
    }
}
