import Foundation

/// RestoreObject's optional body:
/// `<RestoreRequest><Days>N</Days><JobParameters><Tier>Standard</Tier></JobParameters></RestoreRequest>`.
///
/// oss2 sends no body, Alibaba's Swift SDK v2 an empty `<RestoreRequest></RestoreRequest>`; both
/// mean one day at the default tier.
public struct OSSRestoreRequest: Sendable, Hashable {
    /// How long the restored object stays readable, in days.
    public var days: Int?
    /// `Expedited`, `Standard` or `Bulk`: how fast OSS restores (ColdArchive and DeepColdArchive).
    public var tier: String?

    /// The tiers OSS accepts.
    public static let tiers: Set<String> = ["Expedited", "Standard", "Bulk"]

    /// Creates a request.
    public init(days: Int? = nil, tier: String? = nil) {
        self.days = days
        self.tier = tier
    }

    /// Reads a body.
    /// - Throws: `MalformedXML` for another root or a `Days` that is not an integer.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "RestoreRequest")
        self.init(days: try root.int("Days"), tier: root.child("JobParameters")?.text("Tier"))
    }

    /// The request body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("RestoreRequest") { writer in
            if let days { writer.element("Days", days) }
            if let tier { writer.element("JobParameters") { $0.element("Tier", tier) } }
        }
        return writer.output
    }
}
