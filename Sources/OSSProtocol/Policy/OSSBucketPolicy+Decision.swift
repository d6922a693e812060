import Foundation

/// What a request is, for a bucket policy: who asks, which action on which resource, and the
/// values its conditions may test.
public struct OSSPolicyRequest: Sendable {
    /// The user id of the signer; `nil` for an anonymous request, which only `*` names.
    public var principal: String?
    /// `oss:` and one of ``OSSPolicyAction/names``.
    public var action: String
    /// `acs:oss:REGION:OWNER:BUCKET` or `acs:oss:REGION:OWNER:BUCKET/KEY`.
    public var resource: String
    public var values: [OSSPolicyCondition.Key: String]
    public var time: Date
    /// While Block Public Access is on, statements for everyone (`*`) grant nothing (they still
    /// deny).
    public var blocksPublicGrants: Bool

    public init(
        principal: String?, action: String, resource: String, values: [OSSPolicyCondition.Key: String], time: Date,
        blocksPublicGrants: Bool
    ) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.values = values
        self.time = time
        self.blocksPublicGrants = blocksPublicGrants
    }
}

extension OSSBucketPolicy {
    /// What the policy says about a request.
    public enum Decision: Sendable, Hashable {
        /// A Deny statement applies (it wins over everything), with its number (from 1).
        case deny(statement: Int)
        /// An Allow statement applies and none denies, with its number.
        case allow(statement: Int)
        /// No statement applies: the ACLs decide.
        case none
    }

    public func decision(for request: OSSPolicyRequest) -> Decision {
        var allowed: Int?
        for (index, statement) in statements.enumerated() where statement.applies(to: request) {
            switch statement.effect {
            case .deny: return .deny(statement: index + 1)
            case .allow:
                if allowed == nil, !(request.blocksPublicGrants && statement.isPublic) { allowed = index + 1 }
            }
        }
        return allowed.map { .allow(statement: $0) } ?? .none
    }
}

extension OSSBucketPolicy.Statement {
    func applies(to request: OSSPolicyRequest) -> Bool {
        guard principals.contains(where: { $0 == "*" || $0 == request.principal }) else { return false }
        guard actions.contains(where: { OSSPolicyPattern.matchesIgnoringCase($0, request.action) }) else { return false }
        guard resources.contains(where: { OSSPolicyPattern.matches($0, request.resource) }) else { return false }
        return conditions.allSatisfy { condition in
            // The time is always known; the other values only when the request has them.
            let value = condition.key == .currentTime ? OSSDateFormat.iso8601(request.time) : request.values[condition.key]
            return condition.holds(for: value, time: request.time)
        }
    }
}
