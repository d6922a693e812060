import Foundation

/// A PostObject policy (§3.8): the base64 JSON `{"expiration": …, "conditions": [...]}` a form
/// carries in its `policy` field and signs.
///
/// Conditions are written `{"field": "v"}`, `["eq", "$field", "v"]`, `["starts-with", "$field",
/// "v"]`, `["content-length-range", min, max]`, `["in", "$field", [...]]` or
/// `["not-in", "$field", [...]]`; field names compare case-insensitively, `bucket` names the
/// bucket, and a field missing from the form reads as empty.
public struct OSSPostPolicy: Sendable, Hashable {
    /// One condition of the policy.
    public enum Condition: Sendable, Hashable {
        /// The field equals the value exactly (`{"f": "v"}` or `["eq", "$f", "v"]`).
        case equals(field: String, value: String)
        /// The field starts with the prefix (an empty prefix allows anything).
        case startsWith(field: String, prefix: String)
        /// The file's size in bytes lies in the range.
        case contentLengthRange(ClosedRange<Int64>)
        /// The field is one of the values.
        case oneOf(field: String, values: [String])
        /// The field is none of the values.
        case noneOf(field: String, values: [String])
    }

    /// The policy stops being accepted after this time.
    public var expiration: Date
    /// The conditions, in policy order.
    public var conditions: [Condition]

    /// Creates a policy.
    public init(expiration: Date, conditions: [Condition]) {
        self.expiration = expiration
        self.conditions = conditions
    }

    /// Reads the `policy` field.
    /// - Throws: 400 `InvalidPolicyDocument` naming what is wrong: not base64, not a JSON object,
    ///   no valid `expiration`, or a condition of an unknown form.
    public init(base64: String) throws(OSSError) {
        guard let data = Data(base64Encoded: base64) else { throw .invalidPolicyDocument("the policy is not base64.") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let root = object as? [String: Any] else {
            throw .invalidPolicyDocument("the policy is not a JSON object.")
        }
        guard let text = root["expiration"] as? String, let expiration = OSSDateFormat.date(iso8601: text) else {
            throw .invalidPolicyDocument("expiration must be an ISO 8601 time such as 2024-03-15T09:30:00.000Z.")
        }
        guard let list = (root["conditions"] ?? [Any]()) as? [Any] else {
            throw .invalidPolicyDocument("conditions must be a list.")
        }
        var conditions: [Condition] = []
        for entry in list {
            conditions += try Self.conditions(from: entry)
        }
        self.init(expiration: expiration, conditions: conditions)
    }

    /// The size range the file must fall in: the intersection of every `content-length-range`,
    /// or `nil` when the policy has none.
    public var contentLengthRange: ClosedRange<Int64>? {
        var range: ClosedRange<Int64>?
        for case .contentLengthRange(let next) in conditions {
            guard let current = range else {
                range = next
                continue
            }
            let lower = max(current.lowerBound, next.lowerBound)
            let upper = min(current.upperBound, next.upperBound)
            // An empty intersection admits no size at all.
            range = lower <= upper ? lower...upper : Int64.max...Int64.max
        }
        return range
    }

    /// Checks the expiration and every field condition (sizes are checked while the file arrives,
    /// with ``contentLengthRange``).
    ///
    /// - Parameters:
    ///   - fields: the form's text fields, with `key` as it will be stored.
    ///   - bucket: the bucket the form was posted to, for `bucket` conditions.
    /// - Throws: 403 `AccessDenied` naming the expiration or the first condition that fails.
    public func check(_ fields: OSSFormFields, bucket: String, now: Date) throws(OSSError) {
        guard now <= expiration else {
            throw .accessDenied("Invalid according to Policy: Policy expired (\(OSSDateFormat.iso8601(expiration))).")
        }
        func value(_ field: String) -> String {
            field.lowercased() == "bucket" ? bucket : fields.value(field) ?? ""
        }
        for condition in conditions {
            let holds: Bool
            let description: String
            switch condition {
            case .equals(let field, let expected):
                holds = value(field) == expected
                description = "[\"eq\", \"$\(field)\", \"\(expected)\"]"
            case .startsWith(let field, let prefix):
                holds = value(field).hasPrefix(prefix)
                description = "[\"starts-with\", \"$\(field)\", \"\(prefix)\"]"
            case .oneOf(let field, let values):
                holds = values.contains(value(field))
                description = "[\"in\", \"$\(field)\", \(values)]"
            case .noneOf(let field, let values):
                holds = !values.contains(value(field))
                description = "[\"not-in\", \"$\(field)\", \(values)]"
            case .contentLengthRange:
                continue
            }
            guard holds else { throw .accessDenied("Invalid according to Policy: Policy Condition failed: \(description)") }
        }
    }

    private static func conditions(from entry: Any) throws(OSSError) -> [Condition] {
        if let map = entry as? [String: Any] {
            var conditions: [Condition] = []
            for (field, value) in map.sorted(by: { $0.key < $1.key }) {
                guard let text = value as? String else {
                    throw .invalidPolicyDocument("the condition on \(field) must have a string value.")
                }
                conditions.append(.equals(field: field, value: text))
            }
            return conditions
        }
        guard let list = entry as? [Any], list.count == 3, let operation = (list[0] as? String)?.lowercased() else {
            throw .invalidPolicyDocument("a condition must be an object or a list of three items.")
        }
        if operation == "content-length-range" {
            guard let lower = integer(list[1]), let upper = integer(list[2]), lower >= 0, lower <= upper else {
                throw .invalidPolicyDocument("content-length-range needs two sizes, the smaller first.")
            }
            return [.contentLengthRange(lower...upper)]
        }
        guard let reference = list[1] as? String, reference.hasPrefix("$"), reference.count > 1 else {
            throw .invalidPolicyDocument("the field of a \(operation) condition must be written $name.")
        }
        let field = String(reference.dropFirst())
        switch operation {
        case "eq", "starts-with":
            guard let text = list[2] as? String else {
                throw .invalidPolicyDocument("the value of a \(operation) condition must be a string.")
            }
            return [operation == "eq" ? .equals(field: field, value: text) : .startsWith(field: field, prefix: text)]
        case "in", "not-in":
            guard let values = list[2] as? [Any], let texts = values as? [String] else {
                throw .invalidPolicyDocument("the values of an \(operation) condition must be a list of strings.")
            }
            return [operation == "in" ? .oneOf(field: field, values: texts) : .noneOf(field: field, values: texts)]
        default:
            throw .invalidPolicyDocument("unknown condition \(operation).")
        }
    }

    private static func integer(_ value: Any) -> Int64? {
        if let number = value as? NSNumber {
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 9e18 else { return nil }
            return number.int64Value
        }
        if let text = value as? String { return Int64(text) }
        return nil
    }
}
