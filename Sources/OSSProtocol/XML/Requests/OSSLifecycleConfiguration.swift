import Foundation

/// PutBucketLifecycle's body and GetBucketLifecycle's answer: rules that expire objects, abort
/// forgotten multipart uploads, expire noncurrent versions and lone delete markers, and move
/// objects to colder classes, for keys under a prefix (and with given tags).
///
/// The SDKs send the children of a rule in different orders (oss2 OSS's own, v2 its attribute
/// order), so they are read in any order; they are written in OSS's (`ID`, `Prefix`, `Status`,
/// actions, `Tag`, `Filter`), which is also what the C SDK's parser needs. Dates are written
/// `yyyy-MM-ddT00:00:00.000Z`, the one form oss2 and the Swift SDK parse; on input the
/// milliseconds are optional (v2 leaves them out).
public struct OSSLifecycleConfiguration: Sendable, Hashable {
    /// At most this many rules, as OSS allows.
    public static let maximumRules = 1000

    public enum Status: String, Sendable, Hashable {
        case enabled = "Enabled"
        case disabled = "Disabled"
    }

    /// When an action applies: a number of days, or to objects last modified before a date.
    public enum Timing: Sendable, Hashable {
        case days(Int)
        /// Midnight UTC of the day.
        case createdBefore(Date)
    }

    public struct Expiration: Sendable, Hashable {
        public var timing: Timing?
        /// The legacy `Date`: from that day on, matching objects expire.
        public var date: Date?
        /// Removes delete markers that no version sits behind any more.
        public var expiredObjectDeleteMarker: Bool?

        public init(timing: Timing? = nil, date: Date? = nil, expiredObjectDeleteMarker: Bool? = nil) {
            self.timing = timing
            self.date = date
            self.expiredObjectDeleteMarker = expiredObjectDeleteMarker
        }
    }

    /// A move to a colder storage class (of current or, with `noncurrent`, noncurrent versions).
    public struct Transition: Sendable, Hashable {
        public var timing: Timing
        public var storageClass: OSSStorageClass
        public var isAccessTime: Bool?
        public var returnToStandardWhenVisited: Bool?
        public var allowSmallFile: Bool?

        public init(
            timing: Timing, storageClass: OSSStorageClass, isAccessTime: Bool? = nil,
            returnToStandardWhenVisited: Bool? = nil, allowSmallFile: Bool? = nil
        ) {
            self.timing = timing
            self.storageClass = storageClass
            self.isAccessTime = isAccessTime
            self.returnToStandardWhenVisited = returnToStandardWhenVisited
            self.allowSmallFile = allowSmallFile
        }
    }

    /// `Filter`: object size bounds and one exclusion.
    public struct Filter: Sendable, Hashable {
        public var objectSizeGreaterThan: Int64?
        public var objectSizeLessThan: Int64?
        /// `Not`: objects under this prefix (and with this tag, when given) are left alone.
        public var notPrefix: String?
        public var notTag: Tag?

        public init(objectSizeGreaterThan: Int64? = nil, objectSizeLessThan: Int64? = nil, notPrefix: String? = nil, notTag: Tag? = nil) {
            self.objectSizeGreaterThan = objectSizeGreaterThan
            self.objectSizeLessThan = objectSizeLessThan
            self.notPrefix = notPrefix
            self.notTag = notTag
        }
    }

    public struct Tag: Sendable, Hashable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public struct Rule: Sendable, Hashable {
        /// Generated when the request leaves it out or empty, as OSS does.
        public var id: String
        /// Keys the rule applies to; empty for the whole bucket.
        public var prefix: String
        public var status: Status
        public var expiration: Expiration?
        public var transitions: [Transition]
        /// `AbortMultipartUpload`: uploads initiated that long ago (or before that date) are aborted.
        public var abortMultipartUpload: Timing?
        /// Objects must carry every one of these tags.
        public var tags: [Tag]
        /// `NoncurrentVersionExpiration`: days after a version stopped being current.
        public var noncurrentExpirationDays: Int?
        public var noncurrentTransitions: [Transition]
        public var filter: Filter?

        public init(
            id: String, prefix: String = "", status: Status = .enabled, expiration: Expiration? = nil,
            transitions: [Transition] = [], abortMultipartUpload: Timing? = nil, tags: [Tag] = [],
            noncurrentExpirationDays: Int? = nil, noncurrentTransitions: [Transition] = [], filter: Filter? = nil
        ) {
            self.id = id
            self.prefix = prefix
            self.status = status
            self.expiration = expiration
            self.transitions = transitions
            self.abortMultipartUpload = abortMultipartUpload
            self.tags = tags
            self.noncurrentExpirationDays = noncurrentExpirationDays
            self.noncurrentTransitions = noncurrentTransitions
            self.filter = filter
        }

        /// Whether the rule does anything at all.
        var hasAction: Bool {
            expiration != nil || !transitions.isEmpty || abortMultipartUpload != nil || noncurrentExpirationDays != nil
                || !noncurrentTransitions.isEmpty
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    // MARK: Reading

    /// Reads and checks a PutBucketLifecycle body, as OSS judges it.
    ///
    /// - Parameter allowSameActionOverlap: `x-oss-allow-same-action-overlap: true`: rules whose
    ///   prefixes overlap may share an action.
    /// - Throws: `MalformedXML` for a document that is not a lifecycle configuration (no rule, a
    ///   rule without `Status` or without any action, a value of the wrong type); `InvalidArgument`
    ///   for rules OSS refuses (more than 1000, an ID over 255 bytes or used twice, days that
    ///   are not positive, a date that is not midnight UTC, transitions out of order, expiry
    ///   before a transition, a bad tag, overlapping rules); `InvalidRequest` for an expiry by
    ///   date with transitions by days.
    public init(parsing body: some DataProtocol, allowSameActionOverlap: Bool = false) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "LifecycleConfiguration")
        let ruleNodes = root.children("Rule")
        guard !ruleNodes.isEmpty else { throw .malformedXML("LifecycleConfiguration needs at least one Rule.") }
        guard ruleNodes.count <= Self.maximumRules else {
            throw .invalidArgument("One bucket not allow exceed one thousand items of LifecycleRules.")
        }
        var rules: [Rule] = []
        for node in ruleNodes { rules.append(try Self.rule(node)) }
        self.init(rules: rules)
        try validate(allowSameActionOverlap: allowSameActionOverlap)
    }

    private static func rule(_ node: XMLNode) throws(OSSError) -> Rule {
        guard let statusText = node.text("Status"), let status = Status(rawValue: statusText) else {
            throw .malformedXML(
                "The XML you provided was not well-formed or did not validate against our published schema.")
        }
        var rule = Rule(id: node.text("ID") ?? "", prefix: node.text("Prefix") ?? "", status: status)
        if let expiration = node.child("Expiration") {
            rule.expiration = Expiration(
                timing: try timing(expiration), date: try expiration.text("Date").map { text throws(OSSError) in try date(text, "Date") },
                expiredObjectDeleteMarker: try expiration.bool("ExpiredObjectDeleteMarker"))
        }
        for transition in node.children("Transition") { rule.transitions.append(try Self.transition(transition, noncurrent: false)) }
        if let abort = node.child("AbortMultipartUpload") {
            guard let timing = try timing(abort) else {
                throw .malformedXML("AbortMultipartUpload needs Days or CreatedBeforeDate.")
            }
            rule.abortMultipartUpload = timing
        }
        for tag in node.children("Tag") {
            rule.tags.append(Tag(key: try tag.requiredText("Key"), value: try tag.requiredText("Value")))
        }
        if let noncurrent = node.child("NoncurrentVersionExpiration") {
            rule.noncurrentExpirationDays = try positiveDays(noncurrent, "NoncurrentDays")
        }
        for transition in node.children("NoncurrentVersionTransition") {
            rule.noncurrentTransitions.append(try Self.transition(transition, noncurrent: true))
        }
        if let filter = node.child("Filter") {
            var value = Filter(
                objectSizeGreaterThan: try filter.text("ObjectSizeGreaterThan").map { text throws(OSSError) in try size(text) },
                objectSizeLessThan: try filter.text("ObjectSizeLessThan").map { text throws(OSSError) in try size(text) })
            let nots = filter.children("Not")
            guard nots.count <= 1 else { throw .invalidArgument("A lifecycle Filter takes at most one Not.") }
            if let not = nots.first {
                value.notPrefix = not.text("Prefix")
                if let tag = not.child("Tag") {
                    value.notTag = Tag(key: try tag.requiredText("Key"), value: try tag.requiredText("Value"))
                }
            }
            rule.filter = value
        }
        guard rule.hasAction else {
            throw .malformedXML(
                "The XML you provided was not well-formed or did not validate against our published schema.")
        }
        return rule
    }

    private static func transition(_ node: XMLNode, noncurrent: Bool) throws(OSSError) -> Transition {
        let timing: Timing
        if noncurrent {
            timing = .days(try positiveDays(node, "NoncurrentDays"))
        } else {
            guard let found = try self.timing(node) else { throw .malformedXML("Transition needs Days or CreatedBeforeDate.") }
            timing = found
        }
        let storageClass = OSSStorageClass(rawValue: try node.requiredText("StorageClass"))
        guard storageClass.isKnown, storageClass != .standard else {
            throw .invalidArgument("A lifecycle transition goes to IA, Archive, ColdArchive or DeepColdArchive, not \(storageClass.rawValue).")
        }
        return Transition(
            timing: timing, storageClass: storageClass, isAccessTime: try node.bool("IsAccessTime"),
            returnToStandardWhenVisited: try node.bool("ReturnToStdWhenVisit"), allowSmallFile: try node.bool("AllowSmallFile"))
    }

    /// `Days` or `CreatedBeforeDate` of an action, `nil` when it has neither.
    private static func timing(_ node: XMLNode) throws(OSSError) -> Timing? {
        let days = node.text("Days")
        let created = node.text("CreatedBeforeDate")
        if days != nil, created != nil {
            throw .invalidArgument("A lifecycle action takes Days or CreatedBeforeDate, not both.")
        }
        if days != nil { return .days(try positiveDays(node, "Days")) }
        if let created { return .createdBefore(try date(created, "CreatedBeforeDate")) }
        return nil
    }

    private static func positiveDays(_ node: XMLNode, _ name: String) throws(OSSError) -> Int {
        let text = try node.requiredText(name).trimmingCharacters(in: .whitespaces)
        guard let days = Int(text) else { throw .malformedXML("<\(name)> is not an integer: \(text)") }
        guard days > 0 else { throw .invalidArgument("'\(name)' for a lifecycle action must be a positive integer, not \(days).") }
        return days
    }

    private static func size(_ text: String) throws(OSSError) -> Int64 {
        guard let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw .invalidArgument("A lifecycle object size must be a non-negative integer, not \(text).")
        }
        return value
    }

    /// A lifecycle date: midnight UTC, with or without milliseconds.
    private static func date(_ text: String, _ name: String) throws(OSSError) -> Date {
        guard let date = OSSDateFormat.date(iso8601: text.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidArgument("\(name) must be an ISO 8601 date such as 2030-01-01T00:00:00.000Z, not \(text).")
        }
        guard Int(date.timeIntervalSince1970) % 86_400 == 0, date.timeIntervalSince1970.rounded() == date.timeIntervalSince1970 else {
            throw .invalidArgument("\(name) must be midnight UTC (T00:00:00.000Z), not \(text).")
        }
        return date
    }

    // MARK: Rules OSS enforces across the document

    private mutating func validate(allowSameActionOverlap: Bool) throws(OSSError) {
        var ids: Set<String> = []
        for index in rules.indices {
            if rules[index].id.isEmpty { rules[index].id = Self.generatedID(index) }
            let rule = rules[index]
            guard rule.id.utf8.count <= 255 else { throw .invalidArgument("A lifecycle rule ID is at most 255 bytes.") }
            guard ids.insert(rule.id).inserted else {
                throw .invalidArgument("Rule ID must be unique. Found same ID for more than one rule: \(rule.id).")
            }
            for tag in rule.tags + [rule.filter?.notTag].compactMap({ $0 }) {
                for text in [tag.key, tag.value] {
                    if let bad = text.first(where: { !($0.isLetter || $0.isNumber || " +-=._:/@".contains($0)) }) {
                        throw .invalidArgument("The lifecycle tag '\(tag.key)' contains '\(bad)': use letters, digits, space and + - = . _ : / @.")
                    }
                }
            }
            if let expiration = rule.expiration {
                let actions = [expiration.timing != nil, expiration.date != nil, expiration.expiredObjectDeleteMarker == true]
                guard actions.filter({ $0 }).count == 1 else {
                    throw .invalidArgument(
                        "An Expiration takes one of Days, CreatedBeforeDate, Date or ExpiredObjectDeleteMarker true.")
                }
                if case .createdBefore = expiration.timing, rule.transitions.contains(where: { if case .days = $0.timing { true } else { false } }) {
                    throw .invalidRequest("An expiration by CreatedBeforeDate cannot go with transitions by Days.")
                }
            }
            try Self.checkOrder(rule.transitions, expiration: rule.expiration?.timing.flatMap { if case .days(let days) = $0 { days } else { nil } })
            try Self.checkOrder(rule.noncurrentTransitions, expiration: rule.noncurrentExpirationDays)
        }
        guard !allowSameActionOverlap else { return }
        for (index, a) in rules.enumerated() {
            for b in rules[(index + 1)...] {
                try Self.refuseOverlap(a, b)
            }
        }
    }

    /// Two rules without tags, one's prefix starting the other's, may not share an action.
    private static func refuseOverlap(_ a: Rule, _ b: Rule) throws(OSSError) {
        guard a.tags.isEmpty, b.tags.isEmpty, a.prefix.hasPrefix(b.prefix) || b.prefix.hasPrefix(a.prefix) else { return }
        for (action, inA, inB) in [
            ("Expiration", a.expiration != nil, b.expiration != nil),
            ("Transition", !a.transitions.isEmpty, !b.transitions.isEmpty),
            ("AbortMultipartUpload", a.abortMultipartUpload != nil, b.abortMultipartUpload != nil),
            ("NoncurrentVersionExpiration", a.noncurrentExpirationDays != nil, b.noncurrentExpirationDays != nil),
            ("NoncurrentVersionTransition", !a.noncurrentTransitions.isEmpty, !b.noncurrentTransitions.isEmpty),
        ] where inA && inB {
            throw .invalidArgument("Overlap for same action type \(action).")
        }
    }

    /// Transitions by days move to ever colder classes later and before any expiry by days.
    private static func checkOrder(_ transitions: [Transition], expiration: Int?) throws(OSSError) {
        let byDays = transitions.compactMap { transition -> (Int, Int)? in
            guard case .days(let days) = transition.timing else { return nil }
            return (coldness(transition.storageClass), days)
        }.sorted { $0.0 < $1.0 }
        for (colder, warmer) in zip(byDays.dropFirst(), byDays) where colder.1 <= warmer.1 {
            throw .invalidArgument("A transition to a colder storage class must come after the one to a warmer class.")
        }
        if let expiration, let last = byDays.map(\.1).max(), expiration <= last {
            throw .invalidArgument("The expiration must come after every transition: Days \(expiration) is not after \(last).")
        }
    }

    private static func coldness(_ storageClass: OSSStorageClass) -> Int {
        switch storageClass {
        case .infrequentAccess: 1
        case .archive: 2
        case .coldArchive: 3
        case .deepColdArchive: 4
        default: 0
        }
    }

    private static func generatedID(_ index: Int) -> String {
        "rule-\(UInt32.random(in: .min ... .max))-\(index)"
    }

    // MARK: Writing

    /// The document, in OSS's element order.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("LifecycleConfiguration") { writer in
            for rule in rules {
                writer.element("Rule") { writer in
                    writer.element("ID", rule.id)
                    writer.element("Prefix", rule.prefix)
                    writer.element("Status", rule.status.rawValue)
                    if let expiration = rule.expiration {
                        writer.element("Expiration") { writer in
                            Self.write(expiration.timing, to: &writer)
                            if let date = expiration.date { writer.element("Date", Self.text(date)) }
                            if let marker = expiration.expiredObjectDeleteMarker { writer.element("ExpiredObjectDeleteMarker", marker) }
                        }
                    }
                    for transition in rule.transitions { Self.write(transition, "Transition", to: &writer) }
                    if let abort = rule.abortMultipartUpload {
                        writer.element("AbortMultipartUpload") { Self.write(abort, to: &$0) }
                    }
                    for tag in rule.tags { Self.write(tag, to: &writer) }
                    if let days = rule.noncurrentExpirationDays {
                        writer.element("NoncurrentVersionExpiration") { $0.element("NoncurrentDays", days) }
                    }
                    for transition in rule.noncurrentTransitions {
                        Self.write(transition, "NoncurrentVersionTransition", to: &writer)
                    }
                    if let filter = rule.filter {
                        writer.element("Filter") { writer in
                            if let size = filter.objectSizeGreaterThan { writer.element("ObjectSizeGreaterThan", size) }
                            if let size = filter.objectSizeLessThan { writer.element("ObjectSizeLessThan", size) }
                            if filter.notPrefix != nil || filter.notTag != nil {
                                writer.element("Not") { writer in
                                    writer.element("Prefix", filter.notPrefix ?? "")
                                    if let tag = filter.notTag { Self.write(tag, to: &writer) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return writer.output
    }

    private static func write(_ timing: Timing?, to writer: inout OSSXMLWriter) {
        switch timing {
        case .days(let days): writer.element("Days", days)
        case .createdBefore(let date): writer.element("CreatedBeforeDate", text(date))
        case nil: break
        }
    }

    private static func write(_ transition: Transition, _ name: String, to writer: inout OSSXMLWriter) {
        writer.element(name) { writer in
            if name == "NoncurrentVersionTransition", case .days(let days) = transition.timing {
                writer.element("NoncurrentDays", days)
            } else {
                write(transition.timing, to: &writer)
            }
            writer.element("StorageClass", transition.storageClass.rawValue)
            if let value = transition.isAccessTime { writer.element("IsAccessTime", value) }
            if let value = transition.returnToStandardWhenVisited { writer.element("ReturnToStdWhenVisit", value) }
            if let value = transition.allowSmallFile { writer.element("AllowSmallFile", value) }
        }
    }

    private static func write(_ tag: Tag, to writer: inout OSSXMLWriter) {
        writer.element("Tag") { writer in
            writer.element("Key", tag.key)
            writer.element("Value", tag.value)
        }
    }

    /// `yyyy-MM-ddT00:00:00.000Z`.
    static func text(_ date: Date) -> String {
        OSSDateFormat.iso8601(date)
    }
}

extension OSSLifecycleConfiguration: OSSXMLDocument {}
