import Foundation

/// Object tags as the `<Tagging>` document of PutObjectTagging and GetObjectTagging (§3.5):
/// `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`, and as the `x-oss-tagging`
/// header of writes (`k1=v1&k2=v2`, URL-encoded).
///
/// This type checks the shape only: well-formed XML, every `Tag` with a `Key`, no key twice (so
/// that the tags fit a dictionary without one silently replacing another), and at most
/// ``maximumParsedTags`` entries, which bounds the work a hostile body can cause. The limits on
/// count and length are the storage engine's, which applies them to every write that sets tags.
public struct OSSTagging: Sendable, Hashable {
    /// More `Tag` elements than this are refused while reading, before any limit check.
    public static let maximumParsedTags = 1000

    /// The tags in document order.
    public var tags: [(key: String, value: String)]

    /// Creates a tag set.
    public init(tags: [(key: String, value: String)]) {
        self.tags = tags
    }

    /// Creates a tag set from a dictionary, ordered by key (GetObjectTagging's order).
    public init(_ tags: [String: String]) {
        self.tags = tags.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
    }

    /// The tags as a dictionary; keys are unique by construction of the parsers.
    public var dictionary: [String: String] {
        Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The document, as PutObjectTagging sends it and GetObjectTagging answers.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("Tagging") { writer in
            writer.element("TagSet") { writer in
                for tag in tags {
                    writer.element("Tag") { writer in
                        writer.element("Key", tag.key)
                        writer.element("Value", tag.value)
                    }
                }
            }
        }
        return writer.output
    }

    /// The `x-oss-tagging` value: `k1=v1&k2=v2`, every byte outside the unreserved set
    /// percent-encoded.
    public var headerValue: String {
        tags.map { OSSPercentEncoding.encode($0.key) + "=" + OSSPercentEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// Reads a `<Tagging>` document; a missing `Value` reads as empty, and an empty `TagSet` (or
    /// none) is an empty tag set.
    ///
    /// - Throws: `MalformedXML` for a bad document, a `Tag` without `Key`, or more than
    ///   ``maximumParsedTags`` tags; `InvalidArgument` for a key given twice.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        var reader = Reader()
        try XMLEventReader.read(body, root: "Tagging", into: &reader)
        try self.init(checkingDuplicates: reader.tags)
    }

    /// Reads an `x-oss-tagging` header: `&`-separated `key=value` pairs, percent-decoded (`+`
    /// stays `+`); a pair without `=` has an empty value, and empty pairs are skipped.
    ///
    /// - Throws: `InvalidArgument` naming `x-oss-tagging` for a bad escape, invalid UTF-8, a key
    ///   given twice or an empty key.
    public init(headerValue: String) throws(OSSError) {
        var tags: [(key: String, value: String)] = []
        for pair in headerValue.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: "=")
            let rawKey = equals.map { pair[..<$0] } ?? pair[...]
            let rawValue = equals.map { pair[pair.index(after: $0)...] } ?? ""
            do {
                tags.append((try OSSPercentEncoding.decode(rawKey), try OSSPercentEncoding.decode(rawValue)))
            } catch {
                throw .invalidArgument(
                    "x-oss-tagging must be URL-encoded key=value pairs joined by &.", name: OSSHeader.tagging,
                    value: headerValue)
            }
            guard tags.count <= Self.maximumParsedTags else {
                throw .invalidArgument("x-oss-tagging has too many tags.", name: OSSHeader.tagging, value: headerValue)
            }
        }
        if let empty = tags.first(where: { $0.key.isEmpty }) {
            throw .invalidArgument("A tag key must not be empty.", name: OSSHeader.tagging, value: "=" + empty.value)
        }
        try self.init(checkingDuplicates: tags)
    }

    private init(checkingDuplicates tags: [(key: String, value: String)]) throws(OSSError) {
        var seen = Set<String>()
        for tag in tags where !seen.insert(tag.key).inserted {
            throw .invalidArgument("The tag key \(tag.key) is given more than once.", name: "Key", value: tag.key)
        }
        self.tags = tags
    }

    private struct Reader: XMLEventHandler {
        var tags: [(key: String, value: String)] = []
        var key: String?
        var value: String?

        mutating func didStart(_ path: [String]) throws(OSSError) {
            guard path.count == 3, path[1] == "TagSet", path[2] == "Tag" else { return }
            guard tags.count < OSSTagging.maximumParsedTags else {
                throw .malformedXML("More than \(OSSTagging.maximumParsedTags) tags.")
            }
            key = nil
            value = nil
        }

        mutating func didEnd(_ path: [String], text: String) throws(OSSError) {
            guard path.count >= 3, path[1] == "TagSet", path[2] == "Tag" else { return }
            switch (path.count, path.last) {
            case (4, "Key"): key = text
            case (4, "Value"): value = text
            case (3, _):
                guard let key else { throw .malformedXML("Each Tag needs a Key.") }
                tags.append((key, value ?? ""))
            default: break
            }
        }
    }
}

extension OSSTagging {
    /// Tag sets compare by their tags in order.
    public static func == (lhs: OSSTagging, rhs: OSSTagging) -> Bool {
        lhs.tags.elementsEqual(rhs.tags) { $0 == $1 }
    }

    /// Hashes the tags in order.
    public func hash(into hasher: inout Hasher) {
        for tag in tags {
            hasher.combine(tag.key)
            hasher.combine(tag.value)
        }
    }
}
