import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Receives the SAX events of one document, with the path of element names from the root.
protocol XMLEventHandler {
    mutating func didStart(_ path: [String]) throws(OSSError)
    mutating func didEnd(_ path: [String], text: String) throws(OSSError)
}

/// Streams a document through `XMLParser` into a handler.
///
/// Every failure is `MalformedXML`: an empty body, a body that is not UTF-8 (a NUL byte, invalid
/// UTF-8, or a declaration naming another encoding), a parser error, an unexpected root, any DTD
/// (OSS documents never have one, and refusing them rules out entity expansion attacks), or
/// nesting deeper than ``maximumDepth`` (OSS documents are at most four levels deep, and each
/// event hands its handler the whole path).
enum XMLEventReader {
    /// The deepest element nesting accepted.
    static let maximumDepth = 16

    static func read<Handler: XMLEventHandler>(
        _ data: some DataProtocol,
        root: String,
        into handler: inout Handler
    ) throws(OSSError) {
        let bytes = Data(data)
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw .malformedXML("The body is empty.")
        }
        // Only UTF-8 is read (as OSS does): in UTF-16 or another declared encoding, the byte
        // search for a DTD below would see nothing while the parser still honoured it.
        guard !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil,
              Self.declaredEncoding(of: bytes).map({ $0.lowercased() == "utf-8" }) ?? true
        else {
            throw .malformedXML("The document is not UTF-8.")
        }
        if bytes.range(of: Data("<!DOCTYPE".utf8)) != nil || bytes.range(of: Data("<!ENTITY".utf8)) != nil {
            throw .malformedXML("Document type declarations are not allowed.")
        }
        let delegate = SAXDelegate(root: root, handler: handler)
        let parser = XMLParser(data: bytes)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let finished = parser.parse()
        if let failure = delegate.failure {
            throw failure
        }
        // On Linux, parse() returns true for content after the root ("<a/><b/>", "<a/>junk"):
        // only parserError tells.
        guard finished, parser.parserError == nil, delegate.sawRoot, delegate.path.isEmpty else {
            throw .malformedXML(parser.parserError.map { "\($0.localizedDescription)" })
        }
        // The handler is only ever the one passed in, so the cast cannot fail.
        handler = delegate.handler as! Handler
    }

    /// The `encoding` named by the XML declaration, if the document starts with one.
    static func declaredEncoding(of bytes: Data) -> String? {
        let text = String(decoding: bytes.prefix(256), as: UTF8.self)
        let start = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        guard start.hasPrefix("<?xml"), let end = start.range(of: "?>") else { return nil }
        let declaration = start[..<end.lowerBound]
        guard let name = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[name.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }
}

private final class SAXDelegate: NSObject, XMLParserDelegate {
    let root: String
    var handler: any XMLEventHandler
    var path: [String] = []
    var texts: [String] = []
    var sawRoot = false
    var failure: OSSError?

    init(root: String, handler: any XMLEventHandler) {
        self.root = root
        self.handler = handler
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if path.isEmpty {
            guard !sawRoot, elementName == root else {
                fail(parser, .malformedXML("Expected the root element <\(root)>, found <\(elementName)>."))
                return
            }
            sawRoot = true
        }
        guard path.count < XMLEventReader.maximumDepth else {
            fail(parser, .malformedXML("Elements are nested more than \(XMLEventReader.maximumDepth) levels deep."))
            return
        }
        path.append(elementName)
        texts.append("")
        do {
            try handler.didStart(path)
        } catch {
            fail(parser, error)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1] += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1] += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?
    ) {
        guard failure == nil, let text = texts.popLast() else { return }
        do {
            try handler.didEnd(path, text: text)
        } catch {
            fail(parser, error)
        }
        path.removeLast()
    }

    private func fail(_ parser: XMLParser, _ error: OSSError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }
}
