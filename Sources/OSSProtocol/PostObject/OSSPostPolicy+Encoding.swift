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
                items.append("[\"eq\",\(JSONText.quoted("$" + field)),\(JSONText.quoted(value))]")
            case .startsWith(let field, let prefix):
                items.append("[\"starts-with\",\(JSONText.quoted("$" + field)),\(JSONText.quoted(prefix))]")
            case .contentLengthRange(let range):
                items.append("[\"content-length-range\",\(range.lowerBound),\(range.upperBound)]")
            case .oneOf(let field, let values):
                items.append("[\"in\",\(JSONText.quoted("$" + field)),[\(values.map(JSONText.quoted).joined(separator: ","))]]")
            case .noneOf(let field, let values):
                items.append(
                    "[\"not-in\",\(JSONText.quoted("$" + field)),[\(values.map(JSONText.quoted).joined(separator: ","))]]")
            }
        }
        return "{\"expiration\":\(JSONText.quoted(OSSDateFormat.iso8601(expiration))),\"conditions\":[\(items.joined(separator: ","))]}"
    }

    /// The form's `policy` field: the base64 of ``json``, which is also what gets signed.
    public var base64Encoded: String {
        Data(json.utf8).base64EncodedString()
    }
}
