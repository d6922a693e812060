import Foundation

/// A small element tree for response documents, which nest (`Contents/Owner/ID`) and are read by
/// the client (and by the server, for the answers of an S3 blob backend). Request bodies use
/// dedicated streaming handlers instead.
package struct XMLNode {
    package var name: String
    package var text: String = ""
    package var children: [XMLNode] = []

    /// Reads a whole document; every failure is `MalformedXML`.
    package static func parse(_ data: some DataProtocol, root: String) throws(OSSError) -> XMLNode {
        var builder = TreeBuilder()
        try XMLEventReader.read(data, root: root, into: &builder)
        guard let node = builder.root else { throw .malformedXML("The document has no root element.") }
        return node
    }

    package func child(_ name: String) -> XMLNode? {
        children.first { $0.name == name }
    }

    package func children(_ name: String) -> [XMLNode] {
        children.filter { $0.name == name }
    }

    /// The text of a child element, or `nil` when it is absent.
    package func text(_ name: String) -> String? {
        child(name)?.text
    }

    func required(_ name: String) throws(OSSError) -> XMLNode {
        guard let node = child(name) else { throw .malformedXML("<\(self.name)> lacks <\(name)>.") }
        return node
    }

    func requiredText(_ name: String) throws(OSSError) -> String {
        try required(name).text
    }

    /// A required child whose text is one of `Value`'s spellings, such as a `Grant`.
    func requiredValue<Value: RawRepresentable<String>>(_ name: String) throws(OSSError) -> Value {
        let text = try requiredText(name)
        guard let value = Value(rawValue: text) else { throw .malformedXML("<\(name)> has an unknown value: \(text)") }
        return value
    }

    func int(_ name: String) throws(OSSError) -> Int? {
        guard let text = text(name) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw .malformedXML("<\(name)> is not an integer: \(text)")
        }
        return value
    }

    func requiredInt(_ name: String) throws(OSSError) -> Int {
        guard let value = try int(name) else { throw .malformedXML("<\(self.name)> lacks <\(name)>.") }
        return value
    }

    func requiredInt64(_ name: String) throws(OSSError) -> Int64 {
        let text = try requiredText(name)
        guard let value = Int64(text.trimmingCharacters(in: .whitespaces)) else {
            throw .malformedXML("<\(name)> is not an integer: \(text)")
        }
        return value
    }

    /// The decoded `CommonPrefixes/Prefix` values of a listing, in order.
    func commonPrefixes(_ encoding: URLEncodingRule) throws(OSSError) -> [String] {
        var prefixes: [String] = []
        for node in children("CommonPrefixes") {
            prefixes.append(try encoding.decode(node.requiredText("Prefix")))
        }
        return prefixes
    }

    func bool(_ name: String) throws(OSSError) -> Bool? {
        guard let text = text(name) else { return nil }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": return true
        case "false": return false
        default: throw .malformedXML("<\(name)> is not true or false: \(text)")
        }
    }

    func requiredDate(_ name: String) throws(OSSError) -> Date {
        let text = try requiredText(name)
        guard let date = OSSDateFormat.date(iso8601: text) else {
            throw .malformedXML("<\(name)> is not an ISO 8601 time: \(text)")
        }
        return date
    }
}

private struct TreeBuilder: XMLEventHandler {
    var stack: [XMLNode] = []
    var root: XMLNode?

    mutating func didStart(_ path: [String]) throws(OSSError) {
        stack.append(XMLNode(name: path[path.count - 1]))
    }

    mutating func didEnd(_ path: [String], text: String) throws(OSSError) {
        var node = stack.removeLast()
        node.text = text
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
