import Foundation
import OSSProtocol

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Small SAX readers for the XML bodies the core operations accept.
enum RequestBodies {
    /// CompleteMultipartUpload: `Part/PartNumber`, `Part/ETag`, in document order.
    static func completedParts(_ bytes: [UInt8]) throws(OSSError) -> [CompletedPart] {
        let elements = try leafElements(bytes, root: "CompleteMultipartUpload")
        var parts: [CompletedPart] = []
        var number: Int?, etag: String?
        for (path, text) in elements {
            switch path {
            case ["CompleteMultipartUpload", "Part", "PartNumber"]:
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw .malformedXML("PartNumber '\(text)' is not a number") }
                number = value
            case ["CompleteMultipartUpload", "Part", "ETag"]: etag = text
            case ["CompleteMultipartUpload", "Part"]:
                guard let partNumber = number, let partETag = etag else {
                    throw .malformedXML("every Part needs PartNumber and ETag")
                }
                parts.append(CompletedPart(partNumber: partNumber, etag: partETag))
                number = nil
                etag = nil
            default: continue
            }
        }
        guard !parts.isEmpty, parts.count <= 10_000 else { throw .malformedXML("between 1 and 10000 parts are required") }
        return parts
    }

    /// Delete: `Quiet` and `Object/Key`.
    static func deleteRequest(_ bytes: [UInt8]) throws(OSSError) -> (quiet: Bool, keys: [String]) {
        let elements = try leafElements(bytes, root: "Delete")
        var quiet = false
        var keys: [String] = []
        for (path, text) in elements {
            if path == ["Delete", "Quiet"] { quiet = text.lowercased() == "true" }
            if path == ["Delete", "Object", "Key"] { keys.append(text) }
        }
        guard !keys.isEmpty, keys.count <= 1000 else { throw .malformedXML("between 1 and 1000 keys are required") }
        return (quiet, keys)
    }

    /// The text of every element, with the path to it, in document order; an element's end
    /// is also reported (with its text) so readers can close records.
    static func leafElements(_ bytes: [UInt8], root: String) throws(OSSError) -> [(path: [String], text: String)] {
        guard !bytes.isEmpty else { throw .malformedXML("the request body is empty") }
        let collector = Collector()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = collector
        guard parser.parse(), collector.elements.last?.path == [root] else {
            throw .malformedXML("the body is not a well-formed <\(root)> document")
        }
        return collector.elements
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var stack: [String] = []
        var text = ""
        var elements: [(path: [String], text: String)] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(name)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            elements.append((stack, text))
            stack.removeLast()
            text = ""
        }
    }
}
