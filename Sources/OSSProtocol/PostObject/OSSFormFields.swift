/// The text fields of a PostObject form (§3.8), in form order; names compare case-insensitively,
/// as OSS reads them (`Content-Type` and `content-type` are one field).
public struct OSSFormFields: Sendable {
    /// The fields as sent: name and value.
    public var fields: [(name: String, value: String)]

    /// Creates a field list.
    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// The value of the first field with this name (any case), `nil` when absent.
    public func value(_ name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Adds a field at the end.
    public mutating func append(name: String, value: String) {
        fields.append((name, value))
    }
}
