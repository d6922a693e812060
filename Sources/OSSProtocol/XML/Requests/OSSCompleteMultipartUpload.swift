import Foundation

/// The body of CompleteMultipartUpload: the parts to assemble, in the client's order.
///
/// Reading checks only the document's shape; the order, the ETags and the sizes are the
/// server's business (`InvalidPartOrder`, `InvalidPart`, `EntityTooSmall`).
public struct OSSCompleteMultipartUpload: Sendable, Hashable {
    /// The most parts one upload can have.
    public static let maximumParts = 10_000

    /// One `<Part>`.
    public struct Part: Sendable, Hashable {
        /// 1…10000.
        public var partNumber: Int
        /// The ETag as sent; oss2 quotes it, v2 echoes the response header. Compare with ``OSSETag``.
        public var etag: String

        /// Creates a part entry.
        public init(partNumber: Int, etag: String) {
            self.partNumber = partNumber
            self.etag = etag
        }
    }

    /// The parts in document order.
    public var parts: [Part]

    /// Creates a body.
    public init(parts: [Part]) {
        self.parts = parts
    }

    /// Reads a `<CompleteMultipartUpload>` body.
    ///
    /// - Throws: `MalformedXML` for a bad document, no parts, more than 10000 parts, a part
    ///   without `PartNumber` or `ETag`, or a part number that is not an integer.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        var reader = Reader()
        try XMLEventReader.read(body, root: "CompleteMultipartUpload", into: &reader)
        guard !reader.parts.isEmpty else { throw .malformedXML("The part list is empty.") }
        parts = reader.parts
    }

    /// The request document, as a client sends it.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("CompleteMultipartUpload") { writer in
            for part in parts {
                writer.element("Part") { writer in
                    writer.element("PartNumber", part.partNumber)
                    writer.element("ETag", part.etag)
                }
            }
        }
        return writer.output
    }

    private struct Reader: XMLEventHandler {
        var parts: [Part] = []
        var number: Int?
        var etag: String?

        mutating func didStart(_ path: [String]) throws(OSSError) {
            if path.count == 2, path[1] == "Part" {
                guard parts.count < OSSCompleteMultipartUpload.maximumParts else {
                    throw .malformedXML("More than \(OSSCompleteMultipartUpload.maximumParts) parts.")
                }
                number = nil
                etag = nil
            }
        }

        mutating func didEnd(_ path: [String], text: String) throws(OSSError) {
            guard path.count >= 2, path[1] == "Part" else { return }
            switch (path.count, path.last) {
            case (3, "PartNumber"):
                guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw .malformedXML("PartNumber is not an integer: \(text)")
                }
                number = value
            case (3, "ETag"):
                etag = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case (2, _):
                guard let number, let etag else { throw .malformedXML("Each Part needs PartNumber and ETag.") }
                parts.append(Part(partNumber: number, etag: etag))
            default:
                break
            }
        }
    }
}
