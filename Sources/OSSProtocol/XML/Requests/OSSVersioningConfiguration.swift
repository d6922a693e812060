import Foundation

/// PutBucketVersioning's body and GetBucketVersioning's answer:
/// `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`.
///
/// A bucket whose versioning was never set answers the document without `Status`.
public struct OSSVersioningConfiguration: Sendable, Hashable {
    /// `nil` when versioning was never set.
    public var status: OSSVersioningStatus?

    /// Creates a configuration.
    public init(status: OSSVersioningStatus?) {
        self.status = status
    }

    /// Reads a PutBucketVersioning body, which must name a status.
    /// - Throws: `MalformedXML` for another root, or a `Status` missing or other than `Enabled`
    ///   and `Suspended`, as OSS answers both.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "VersioningConfiguration")
        guard let text = root.text("Status") else {
            throw .malformedXML("VersioningConfiguration needs a Status: Enabled or Suspended.")
        }
        guard let status = OSSVersioningStatus(rawValue: text) else {
            throw .malformedXML("Status must be Enabled or Suspended, not \(text).")
        }
        self.init(status: status)
    }

    /// Reads a GetBucketVersioning answer, whose `Status` may be absent.
    public init(parsingResponse body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "VersioningConfiguration")
        self.init(status: root.text("Status").flatMap(OSSVersioningStatus.init(rawValue:)))
    }

    /// The document.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("VersioningConfiguration") { $0.element("Status", ifPresent: status?.rawValue) }
        return writer.output
    }
}

extension OSSVersioningConfiguration: OSSXMLDocument {}
