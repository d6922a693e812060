import Foundation

/// A bucket policy as PutBucketPolicy takes it: OSS's JSON policy language (`Version` "1", a list
/// of `Statement`s with `Effect`, `Action`, `Principal`, `Resource` and `Condition`), checked
/// element by element so that a mistake is refused with a message naming it instead of silently
/// granting or denying something else.
///
/// Matching a request against it (who, what, where, under which conditions) is
/// ``OSSBucketPolicy/decision(for:)``; the server decides what a decision means next to ACLs.
public struct OSSBucketPolicy: Sendable, Hashable {
    /// The document as the client sent it, which GetBucketPolicy returns unchanged.
    public let text: String
    public let statements: [Statement]

    /// The largest document OSS accepts.
    public static let maximumSize = 16 * 1024

    /// One statement: whom it concerns (principals), what (actions on resources), when
    /// (conditions), and whether it allows or denies.
    public struct Statement: Sendable, Hashable {
        public enum Effect: String, Sendable, Hashable {
            case allow = "Allow"
            case deny = "Deny"
        }

        public let effect: Effect
        /// Action patterns such as `oss:GetObject` or `oss:Get*`.
        public let actions: [String]
        /// User ids, or `*` for everyone including anonymous callers.
        public let principals: [String]
        /// Resource patterns such as `acs:oss:*:*:bucket/logs/*`.
        public let resources: [String]
        /// Every one must hold for the statement to apply.
        public let conditions: [OSSPolicyCondition]

        /// Whether the statement names everyone (`*`) among its principals: a public grant, which
        /// Block Public Access overrides.
        public var isPublic: Bool { principals.contains("*") }
    }

    /// Parses and checks a policy for `bucket`: every resource must lie in that bucket.
    /// - Throws: 400 `InvalidPolicyDocument` naming the element at fault.
    public init(json text: String, bucket: String) throws(OSSError) {
        try self.init(json: text, scope: .bucket(bucket))
    }

    /// Parses and checks a session policy, as STS takes one when it issues temporary credentials:
    /// statements without `Principal` (they concern the credentials' holder), on resources in any
    /// bucket. The credentials may do only what such a policy allows.
    public init(sessionJSON text: String) throws(OSSError) {
        try self.init(json: text, scope: .session)
    }

    /// What a policy is attached to.
    enum Scope {
        case bucket(String)
        case session
    }

    private init(json text: String, scope: Scope) throws(OSSError) {
        guard text.utf8.count <= Self.maximumSize else {
            throw .invalidPolicyDocument("The policy is larger than \(Self.maximumSize) bytes.")
        }
        guard let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw .invalidPolicyDocument("The policy is not a JSON object.")
        }
        for name in root.keys where !["Version", "Statement"].contains(name) {
            throw .invalidPolicyDocument("Unknown element \(name): a policy has Version and Statement.")
        }
        guard let version = root["Version"] as? String, version == "1" else {
            throw .invalidPolicyDocument("Version must be \"1\".")
        }
        guard let list = root["Statement"] as? [Any], !list.isEmpty else {
            throw .invalidPolicyDocument("Statement must be a non-empty list.")
        }
        self.text = text
        statements = try list.enumerated().map { index, element throws(OSSError) in
            try Self.statement(element, number: index + 1, scope: scope)
        }
    }

    private static func statement(_ element: Any, number: Int, scope: Scope) throws(OSSError) -> Statement {
        let place = "Statement \(number)"
        guard let object = element as? [String: Any] else { throw .invalidPolicyDocument("\(place) is not an object.") }
        for name in object.keys where !["Effect", "Action", "Principal", "Resource", "Condition", "Sid"].contains(name) {
            throw .invalidPolicyDocument("\(place): unknown element \(name) (NotAction, NotPrincipal and NotResource are not supported).")
        }
        guard let effectText = object["Effect"] as? String, let effect = Statement.Effect(rawValue: effectText) else {
            throw .invalidPolicyDocument("\(place): Effect must be Allow or Deny.")
        }
        let actions = try strings(object["Action"], "\(place): Action")
        for action in actions {
            guard action.lowercased().hasPrefix("oss:") else {
                throw .invalidPolicyDocument("\(place): Action \(action) must start with oss:.")
            }
            let name = action.dropFirst(4)
            guard name.contains("*") || name.contains("?") || OSSPolicyAction.names.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw .invalidPolicyDocument("\(place): Action \(action) is not an OSS action.")
            }
        }
        let principals: [String]
        let resources = try strings(object["Resource"], "\(place): Resource")
        switch scope {
        case .bucket(let bucket):
            principals = try strings(object["Principal"], "\(place): Principal")
            for resource in resources { try checkResource(resource, place: place, bucket: bucket) }
        case .session:
            guard object["Principal"] == nil else {
                throw .invalidPolicyDocument("\(place): a session policy has no Principal: it concerns the credentials' holder.")
            }
            principals = ["*"]
            for resource in resources { try checkResource(resource, place: place, bucket: nil) }
        }
        var conditions: [OSSPolicyCondition] = []
        if let value = object["Condition"] {
            guard let operators = value as? [String: Any] else {
                throw .invalidPolicyDocument("\(place): Condition must be an object of operators.")
            }
            for (operatorName, keys) in operators.sorted(by: { $0.key < $1.key }) {
                guard let keys = keys as? [String: Any], !keys.isEmpty else {
                    throw .invalidPolicyDocument("\(place): Condition \(operatorName) must be an object of keys.")
                }
                for (key, values) in keys.sorted(by: { $0.key < $1.key }) {
                    conditions.append(
                        try OSSPolicyCondition(
                            operator: operatorName, key: key, values: try strings(values, "\(place): Condition \(operatorName) \(key)"),
                            place: place))
                }
            }
        }
        return Statement(effect: effect, actions: actions, principals: principals, resources: resources, conditions: conditions)
    }

    /// `acs:oss:REGION:ACCOUNT:BUCKET[/OBJECT]`, in `bucket` when one is given.
    private static func checkResource(_ resource: String, place: String, bucket: String?) throws(OSSError) {
        let parts = resource.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "acs", parts[1] == "oss", !parts[4].isEmpty else {
            let bucket = bucket ?? "BUCKET"
            throw .invalidPolicyDocument(
                "\(place): Resource \(resource) must be acs:oss:*:*:\(bucket) or acs:oss:*:*:\(bucket)/OBJECT-PATTERN.")
        }
        guard let bucket else { return }
        let path = parts[4]
        let named = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard named == bucket || (named.contains("*") && OSSPolicyPattern.matches(String(named), bucket)) else {
            throw .invalidPolicyDocument("\(place): Resource \(resource) is not in bucket \(bucket).")
        }
    }

    /// A string or a non-empty list of strings.
    static func strings(_ value: Any?, _ what: String) throws(OSSError) -> [String] {
        if let single = value as? String, !single.isEmpty { return [single] }
        if let list = value as? [Any], !list.isEmpty {
            var strings: [String] = []
            for element in list {
                guard let string = element as? String, !string.isEmpty else {
                    throw .invalidPolicyDocument("\(what) must list non-empty strings.")
                }
                strings.append(string)
            }
            return strings
        }
        throw .invalidPolicyDocument("\(what) must be a string or a non-empty list of strings.")
    }
}
