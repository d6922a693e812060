import Foundation

extension OSSPostPolicy {
    /// The policy as its JSON document, `expiration` first and the conditions in order, each in
    /// its list form (`["eq", "$key", "v"]`), which every OSS-compatible reader accepts.
    ///
    /// Written by hand rather than through `JSONSerialization` so that the text, and therefore
    /// the signature over it, is the same on every platform.
    public var json: String {
        var items: [String] = []
        for condition in conditions {
            switch condition {
            case .equals(let field, let value):
                items.append("[\"eq\",\(Self.quoted("$" + field)),\(Self.quoted(value))]")
            case .startsWith(let field, let prefix):
                items.append("[\"starts-with\",\(Self.quoted("$" + field)),\(Self.quoted(prefix))]")
            case .contentLengthRange(let range):
                items.append("[\"content-length-range\",\(range.lowerBound),\(range.upperBound)]")
            case .oneOf(let field, let values):
                items.append("[\"in\",\(Self.quoted("$" + field)),[\(values.map(Self.quoted).joined(separator: ","))]]")
            case .noneOf(let field, let values):
                items.append(
                    "[\"not-in\",\(Self.quoted("$" + field)),[\(values.map(Self.quoted).joined(separator: ","))]]")
            }
        }
        return "{\"expiration\":\(Self.quoted(OSSDateFormat.iso8601(expiration))),\"conditions\":[\(items.joined(separator: ","))]}"
    }

    /// The form's `policy` field: the base64 of ``json``, which is also what gets signed.
    public var base64Encoded: String {
        Data(json.utf8).base64EncodedString()
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
