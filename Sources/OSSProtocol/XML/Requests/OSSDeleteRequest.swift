import Foundation

/// The body of DeleteMultipleObjects: `<Delete><Quiet/><Object><Key/>[<VersionId/>]</Object>…</Delete>`.
///
/// Keys are XML-escaped, never URL-encoded, in the request; `encoding-type=url` applies only to
/// the response.
public struct OSSDeleteRequest: Sendable, Hashable {
    /// The most keys one request can delete.
    public static let maximumObjects = 1000

    /// One `<Object>`.
    public struct Object: Sendable, Hashable {
        /// The key, exactly as sent (spaces included).
        public var key: String
        /// The version id, if any.
        public var versionID: String?

        /// Creates an object entry.
        public init(key: String, versionID: String? = nil) {
            self.key = key
            self.versionID = versionID
        }
    }

    /// Whether the response lists only failures (`true`) or every deleted key.
    public var quiet: Bool
    /// The objects to delete, in document order.
    public var objects: [Object]

    /// Creates a body.
    public init(quiet: Bool = false, objects: [Object]) {
        self.quiet = quiet
        self.objects = objects
    }

    /// Reads a `<Delete>` body.
    ///
    /// An empty object list is accepted only with `<Quiet>true</Quiet>` (§3.5).
    /// - Throws: `MalformedXML` for a bad document, a `Quiet` other than true/false, an `Object`
    ///   without `Key`, more than 1000 objects, or no objects without quiet mode.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        var reader = Reader()
        try XMLEventReader.read(body, root: "Delete", into: &reader)
        guard !reader.objects.isEmpty || reader.quiet else { throw .malformedXML("The object list is empty.") }
        quiet = reader.quiet
        objects = reader.objects
    }

    /// The request document, as a client sends it.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("Delete") { writer in
            writer.element("Quiet", quiet)
            for object in objects {
                writer.element("Object") { writer in
                    writer.element("Key", object.key)
                    writer.element("VersionId", ifPresent: object.versionID)
                }
            }
        }
        return writer.output
    }

    private struct Reader: XMLEventHandler {
        var quiet = false
        var objects: [Object] = []
        var key: String?
        var versionID: String?

        mutating func didStart(_ path: [String]) throws(OSSError) {
            if path.count == 2, path[1] == "Object" {
                guard objects.count < OSSDeleteRequest.maximumObjects else {
                    throw .malformedXML("More than \(OSSDeleteRequest.maximumObjects) objects.")
                }
                key = nil
                versionID = nil
            }
        }

        mutating func didEnd(_ path: [String], text: String) throws(OSSError) {
            switch (path.count, path.last) {
            case (2, "Quiet"):
                switch text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
                case "true": quiet = true
                case "false": quiet = false
                default: throw .malformedXML("Quiet must be true or false, not \(text).")
                }
            case (3, "Key") where path[1] == "Object":
                key = text
            case (3, "VersionId") where path[1] == "Object":
                versionID = text
            case (2, "Object"):
                guard let key else { throw .malformedXML("Each Object needs a Key.") }
                objects.append(Object(key: key, versionID: versionID))
            default:
                break
            }
        }
    }
}
