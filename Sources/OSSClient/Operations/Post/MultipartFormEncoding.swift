import NIOCore

/// The `multipart/form-data` framing of a PostObject form (RFC 7578): the text fields and the
/// head of the `file` part before the file's bytes, the closing delimiter after them. Only the
/// framing is built in memory; the file itself is streamed between ``head`` and ``tail``.
struct MultipartFormEncoding: Sendable {
    let boundary: String
    /// Every text field, then the `file` part's headers, up to the first byte of the file.
    let head: ByteBuffer
    /// The end of the file part and the closing delimiter.
    let tail: ByteBuffer

    /// The request's `Content-Type`.
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Frames `fields` and a file part named `fileName`.
    ///
    /// The boundary is 128 random bits, so the chance that a file contains it is negligible; the
    /// server would otherwise end the file early and the CRC check would catch it.
    init(fields: [OSSPostForm.Field], fileName: String, fileContentType: String?) {
        var random = SystemRandomNumberGenerator()
        let bits = (0..<4).map { _ in String(random.next() as UInt32, radix: 16) }.joined()
        boundary = "swift-oss-form-" + bits
        var head = ByteBuffer()
        for field in fields {
            head.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.escaped(field.name))\"\r\n\r\n")
            head.writeString(field.value)
            head.writeString("\r\n")
        }
        head.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(Self.escaped(fileName))\"\r\n")
        head.writeString("Content-Type: \(fileContentType ?? "application/octet-stream")\r\n\r\n")
        self.head = head
        tail = ByteBuffer(string: "\r\n--\(boundary)--\r\n")
    }

    /// A name inside a quoted header parameter, escaped as browsers do (WHATWG HTML): `"`, CR
    /// and LF as `%22`, `%0D`, `%0A`, so that no name can end the header early.
    static func escaped(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": out += "%22"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
