/// `<Owner><ID/><DisplayName/></Owner>`; oss2 needs both children whenever `Owner` is present.
public struct OSSOwner: Sendable, Hashable {
    /// The owner id.
    public var id: String
    /// The display name; OSS uses the id.
    public var displayName: String

    /// Creates an owner; the display name defaults to the id, as OSS does.
    public init(id: String, displayName: String? = nil) {
        self.id = id
        self.displayName = displayName ?? id
    }

    func write(to writer: inout OSSXMLWriter) {
        writer.element("Owner") { writer in
            writer.element("ID", id)
            writer.element("DisplayName", displayName)
        }
    }

    init(node: XMLNode) throws(OSSError) {
        self.init(id: try node.requiredText("ID"), displayName: try node.requiredText("DisplayName"))
    }
}
