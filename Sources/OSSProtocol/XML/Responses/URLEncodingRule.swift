/// `encoding-type=url` for listing documents (§3.4): when active, names are percent-encoded on
/// writing (`/` too, space as `%20`, never `+`) and decoded on reading.
struct URLEncodingRule {
    let isActive: Bool

    init(_ encodingType: String?) {
        isActive = encodingType == "url"
    }

    func encode(_ text: String) -> String {
        isActive ? OSSPercentEncoding.encode(text) : text
    }

    func decode(_ text: String) throws(OSSError) -> String {
        guard isActive else { return text }
        do {
            return try OSSPercentEncoding.decode(text)
        } catch {
            throw .malformedXML("A url-encoded name is not valid: \(text)")
        }
    }

    func decode(_ text: String?) throws(OSSError) -> String? {
        guard let text else { return nil }
        return try decode(text)
    }
}

extension OSSXMLWriter {
    /// `<CommonPrefixes><Prefix>…</Prefix></CommonPrefixes>` per prefix, as both listings write them.
    mutating func commonPrefixes(_ prefixes: [String], encoding: URLEncodingRule) {
        for prefix in prefixes {
            element("CommonPrefixes") { $0.element("Prefix", encoding.encode(prefix)) }
        }
    }
}
