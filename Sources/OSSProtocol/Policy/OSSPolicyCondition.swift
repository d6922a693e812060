import Foundation

/// One condition of a policy statement: an operator applied to one request key with one or more
/// values (the condition holds when any value matches; for the negated operators, when none does).
public struct OSSPolicyCondition: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case bool = "Bool"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"

        /// The negated operators hold when the request has no value for the key.
        var isNegated: Bool { self == .stringNotEquals || self == .stringNotLike || self == .notIpAddress }
    }

    /// The request keys conditions may test, and what kind of value each is.
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case prefix = "oss:Prefix"
        case delimiter = "oss:Delimiter"
        case sourceIP = "acs:SourceIp"
        case secureTransport = "acs:SecureTransport"
        case currentTime = "acs:CurrentTime"
        case userAgent = "acs:UserAgent"
        case referer = "acs:Referer"
    }

    public let `operator`: Operator
    public let key: Key
    public let values: [String]
    /// The parsed values of IP and date conditions.
    let networks: [OSSIPNetwork]
    let dates: [Date]

    init(operator operatorName: String, key keyName: String, values: [String], place: String) throws(OSSError) {
        guard let op = Operator(rawValue: operatorName) else {
            throw .invalidPolicyDocument(
                "\(place): Condition operator \(operatorName) is not supported (supported: \(Operator.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        guard let key = Key.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(keyName) == .orderedSame }) else {
            throw .invalidPolicyDocument(
                "\(place): Condition key \(keyName) is not supported (supported: \(Key.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        let fits: Bool = switch op {
        case .ipAddress, .notIpAddress: key == .sourceIP
        case .bool: key == .secureTransport
        case .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals: key == .currentTime
        case .stringEquals, .stringNotEquals, .stringLike, .stringNotLike:
            key != .sourceIP && key != .secureTransport && key != .currentTime
        }
        guard fits else { throw .invalidPolicyDocument("\(place): Condition \(operatorName) does not apply to \(keyName).") }
        self.operator = op
        self.key = key
        self.values = values
        var networks: [OSSIPNetwork] = []
        var dates: [Date] = []
        for value in values {
            switch op {
            case .ipAddress, .notIpAddress:
                guard let network = OSSIPNetwork(value) else {
                    throw .invalidPolicyDocument("\(place): \(value) is not an IP address or CIDR block.")
                }
                networks.append(network)
            case .bool:
                guard value == "true" || value == "false" else {
                    throw .invalidPolicyDocument("\(place): Bool takes true or false, not \(value).")
                }
            case .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
                guard let date = OSSDateFormat.date(iso8601: value) else {
                    throw .invalidPolicyDocument("\(place): \(value) is not an ISO 8601 time such as 2026-01-01T00:00:00Z.")
                }
                dates.append(date)
            default:
                break
            }
        }
        self.networks = networks
        self.dates = dates
    }

    /// Whether the condition holds for a request whose value for ``key`` is `value` (`nil`:
    /// the request has none, as a GetObject has no `oss:Prefix`).
    func holds(for value: String?, time: Date) -> Bool {
        guard let value else { return self.operator.isNegated }
        switch self.operator {
        case .stringEquals: return values.contains(value)
        case .stringNotEquals: return !values.contains(value)
        case .stringLike: return values.contains { OSSPolicyPattern.matches($0, value) }
        case .stringNotLike: return !values.contains { OSSPolicyPattern.matches($0, value) }
        case .ipAddress: return OSSIPNetwork.address(value).map { address in networks.contains { $0.contains(address) } } ?? false
        case .notIpAddress: return OSSIPNetwork.address(value).map { address in !networks.contains { $0.contains(address) } } ?? true
        case .bool: return values.contains(value)
        case .dateLessThan: return dates.contains { time < $0 }
        case .dateLessThanEquals: return dates.contains { time <= $0 }
        case .dateGreaterThan: return dates.contains { time > $0 }
        case .dateGreaterThanEquals: return dates.contains { time >= $0 }
        }
    }
}
