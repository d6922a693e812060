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
///
/// One departure from XML 1.0, because OSS makes it and the official SDKs rely on it: control
/// characters (U+0001–U+001F), raw or as character references, are accepted in text content,
/// above all in the keys of DeleteMultipleObjects, which oss2 sends raw and alibabacloud_oss_v2
/// as `&#NN;`. They are accepted nowhere else
/// (element names, the declaration, before the root), and NUL stays refused.
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
        let shelter = ControlCharacterShelter(bytes)
        let delegate = SAXDelegate(root: root, handler: handler, shelter: shelter)
        let parser = XMLParser(data: shelter?.sheltered ?? bytes)
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

/// Carries control characters through `XMLParser`, which refuses them anywhere: each raw one, and
/// each character reference to one (`&#01;`, `&#x1B;`, which alibabacloud_oss_v2 writes), becomes
/// a code point of plane 16's private use area (U+10FF01–U+10FF1F) before parsing and is restored
/// in text afterwards. Those code points are not name characters, so a control character in an
/// element name still fails to parse. A document that already holds code points of that block is
/// left as it is (and refused for its control characters, as before).
struct ControlCharacterShelter {
    /// The UTF-8 lead of U+10FF00–U+10FF3F.
    private static let lead: [UInt8] = [0xF4, 0x8F, 0xBC]
    private static let base: UInt32 = 0x10FF00

    let sheltered: Data

    init?(_ bytes: Data) {
        let references = bytes.range(of: Data("&#".utf8)) != nil
        guard references || bytes.contains(where: { Self.isSheltered(UInt32($0)) }),
              bytes.range(of: Data(Self.lead)) == nil
        else { return nil }
        let input = [UInt8](bytes)
        var output = [UInt8]()
        output.reserveCapacity(input.count + 64)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if Self.isSheltered(UInt32(byte)) {
                output += Self.lead + [0x80 | byte]
                index += 1
            } else if byte == UInt8(ascii: "&"), let (value, length) = Self.reference(input, at: index),
                      Self.isSheltered(value)
            {
                output += Self.lead + [0x80 | UInt8(value)]
                index += length
            } else {
                output.append(byte)
                index += 1
            }
        }
        sheltered = Data(output)
    }

    /// The value and length of a character reference (`&#NN;` or `&#xHH;`) at `index`, if any.
    private static func reference(_ bytes: [UInt8], at index: Int) -> (UInt32, Int)? {
        var cursor = index + 1
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "#") else { return nil }
        cursor += 1
        var radix: UInt32 = 10
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "x") {
            radix = 16
            cursor += 1
        }
        var value: UInt32 = 0
        var digits = 0
        while cursor < bytes.count, digits < 8,
              let digit = Character(Unicode.Scalar(bytes[cursor])).hexDigitValue, UInt32(digit) < radix
        {
            value = value * radix + UInt32(digit)
            digits += 1
            cursor += 1
        }
        guard digits > 0, cursor < bytes.count, bytes[cursor] == UInt8(ascii: ";") else { return nil }
        return (value, cursor + 1 - index)
    }

    /// A control character other than tab, line feed and carriage return (NUL is refused earlier).
    private static func isSheltered(_ value: UInt32) -> Bool {
        value >= 0x01 && value <= 0x1F && value != 0x09 && value != 0x0A && value != 0x0D
    }

    /// `text` with its sheltered code points turned back into control characters.
    func restore(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value > Self.base && $0.value <= Self.base + 0x1F }) else {
            return text
        }
        var restored = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value > Self.base, scalar.value <= Self.base + 0x1F, let control = Unicode.Scalar(scalar.value - Self.base) {
                restored.append(control)
            } else {
                restored.append(scalar)
            }
        }
        return String(restored)
    }
}

private final class SAXDelegate: NSObject, XMLParserDelegate {
    let root: String
    let shelter: ControlCharacterShelter?
    var handler: any XMLEventHandler
    var path: [String] = []
    var texts: [String] = []
    var sawRoot = false
    var failure: OSSError?

    init(root: String, handler: any XMLEventHandler, shelter: ControlCharacterShelter?) {
        self.root = root
        self.handler = handler
        self.shelter = shelter
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
            try handler.didEnd(path, text: shelter?.restore(text) ?? text)
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
