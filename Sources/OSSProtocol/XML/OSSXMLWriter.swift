/// A minimal XML writer for OSS response and request documents.
///
/// OSS documents have a fixed element order, no namespaces and no attributes, and the SDKs are
/// picky about both; writing them by hand keeps the order exact and is much faster than a generic
/// encoder. Text is escaped for `& < > " '`.
public struct OSSXMLWriter: Sendable {
    /// The declaration every OSS document starts with.
    public static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// The document written so far.
    public private(set) var output: String
    /// Whose document this is: the task's ``XMLDialect/current`` when the writer was made.
    package let dialect: XMLDialect
    private var depth = 0

    /// Starts a document, with the XML declaration unless `declaration` is `false`.
    public init(declaration: Bool = true) {
        output = declaration ? Self.declaration : ""
        dialect = XMLDialect.current
    }

    /// Writes `<name>`; an S3 document's root element carries S3's namespace.
    public mutating func open(_ name: String) {
        if depth == 0, dialect == .s3 {
            output += "<\(name) xmlns=\"\(XMLDialect.s3Namespace)\">"
        } else {
            output += "<\(name)>"
        }
        depth += 1
    }

    /// Writes `</name>`.
    public mutating func close(_ name: String) {
        depth -= 1
        output += "</\(name)>"
    }

    /// Writes escaped text inside the element last opened.
    public mutating func text(_ text: String) {
        output += Self.escape(text)
    }

    /// Writes `<name>escaped text</name>`; an empty text gives `<name></name>`, which every
    /// SDK reads as an empty string.
    public mutating func element(_ name: String, _ text: String) {
        // S3 writes an ETag's hex in lower case, OSS in upper case; both compare without case.
        let text = dialect == .s3 && name == "ETag" ? text.lowercased() : text
        output += "<\(name)>\(Self.escape(text))</\(name)>"
    }

    /// Writes `<name>decimal</name>`.
    public mutating func element(_ name: String, _ value: some BinaryInteger) {
        output += "<\(name)>\(value)</\(name)>"
    }

    /// Writes `<name>true</name>` or `<name>false</name>`: oss2 accepts only these spellings.
    public mutating func element(_ name: String, _ value: Bool) {
        output += "<\(name)>\(value ? "true" : "false")</\(name)>"
    }

    /// Writes an element only when the value is present.
    public mutating func element(_ name: String, ifPresent text: String?) {
        if let text { element(name, text) }
    }

    /// Writes `<name>`, the children written by `body`, then `</name>`.
    public mutating func element(_ name: String, _ body: (inout OSSXMLWriter) -> Void) {
        open(name)
        body(&self)
        close(name)
    }

    /// `text` with every character XML 1.0 cannot carry at all (C0 controls other than tab, LF
    /// and CR, which not even a character reference may name) replaced by U+FFFD.
    ///
    /// For diagnostic text such as error details, where a readable document matters more than
    /// the exact bytes; names that must survive exactly travel percent-encoded instead.
    public static func replacingUnrepresentable(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" ? "\u{FFFD}" : scalar
        }))
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` as predefined entities, and a carriage return as
    /// `&#13;` so that XML line-end normalisation cannot change a key.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { [0x26, 0x3C, 0x3E, 0x22, 0x27, 0x0D].contains($0) }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\r": escaped += "&#13;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
