import Foundation
import OSSProtocol

/// The headers of one form part that PostObject reads: its field name, and for the file its
/// file name and content type.
struct MultipartPartHead: Equatable, Sendable {
    /// `name` of `Content-Disposition: form-data`.
    var name: String
    /// `filename`, when the part is a file.
    var filename: String?
    /// The part's `Content-Type`, when sent.
    var contentType: String?

    /// Parses a header block (lines without the final blank line).
    /// - Throws: `MalformedPOSTRequest` when `Content-Disposition: form-data; name=…` is missing.
    init(headerBlock: String) throws(OSSError) {
        var disposition: String?
        var contentType: String?
        for line in headerBlock.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformedPOSTRequest("a part header line has no colon.")
            }
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-disposition": disposition = value
            case "content-type": contentType = value
            default: continue
            }
        }
        guard let disposition else { throw .malformedPOSTRequest("a part lacks Content-Disposition.") }
        let parameters = Self.parameters(of: disposition)
        guard parameters.first?.name.lowercased() == "form-data", let name = parameters.first(where: { $0.name == "name" })?.value
        else {
            throw .malformedPOSTRequest("a part's Content-Disposition is not form-data with a name.")
        }
        self.name = name
        self.filename = parameters.first { $0.name == "filename" }?.value
        self.contentType = contentType
    }

    init(name: String, filename: String? = nil, contentType: String? = nil) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
    }

    /// `type; a=b; c="d;e"` as `[(type, ""), (a, b), (c, d;e)]`; names lower-cased.
    static func parameters(of value: String) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        var pieces: [String] = []
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if inQuotes, character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == ";", !inQuotes {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        for piece in pieces {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if let equals = trimmed.firstIndex(of: "=") {
                result.append((
                    trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased(),
                    String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
                ))
            } else {
                result.append((trimmed.lowercased(), ""))
            }
        }
        return result
    }

    /// The boundary of a `multipart/form-data` Content-Type.
    /// - Throws: `MalformedPOSTRequest` for another type or a missing or overlong boundary.
    static func boundary(contentType: String?) throws(OSSError) -> String {
        guard let contentType else { throw .malformedPOSTRequest("the request has no Content-Type.") }
        let parameters = parameters(of: contentType)
        guard parameters.first?.name == "multipart/form-data" else {
            throw .malformedPOSTRequest("Content-Type is \(contentType), not multipart/form-data.")
        }
        guard let boundary = parameters.first(where: { $0.name == "boundary" })?.value, (1...70).contains(boundary.utf8.count),
            !boundary.contains("\r"), !boundary.contains("\n")
        else {
            throw .malformedPOSTRequest("Content-Type needs a boundary of 1 to 70 characters.")
        }
        return boundary
    }
}
