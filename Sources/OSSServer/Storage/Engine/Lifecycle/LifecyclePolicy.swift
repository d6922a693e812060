import Foundation
import OSSProtocol

/// What a bucket's lifecycle rules decide at one moment, rule by rule, without touching storage.
///
/// `Days` count as OSS counts them: from the object's Last-Modified rounded up to the start of
/// the next day (00:00 UTC), so an object written at 23:59 expires a whole day earlier than one
/// written at 00:01 the next day. Noncurrent days count from the moment the next version replaced
/// it, and AbortMultipartUpload days from the upload's initiation. ``day`` is 24 hours except
/// where a test or a demonstration shortens it (`oss serve --lifecycle-day`); days are then
/// counted on that scale from the Unix epoch. `CreatedBeforeDate` applies to objects last
/// modified before that midnight, and the legacy `Date` to every matching object from that
/// moment on. Transitions are kept and reported but not applied: this server has one kind of
/// storage, and moving an object to an archive class would only make it unreadable.
struct LifecyclePolicy: Sendable {
    /// The enabled rules.
    let rules: [OSSLifecycleConfiguration.Rule]
    let now: Date
    /// The length of a lifecycle day, in seconds.
    let day: Double

    init(_ configuration: OSSLifecycleConfiguration, now: Date, day: Duration) {
        rules = configuration.rules.filter { $0.status == .enabled }
        self.now = now
        let components = day.components
        self.day = max(Double(components.seconds) + Double(components.attoseconds) / 1e18, 0.001)
    }

    /// A decision that may need the object's tags first.
    enum Decision: Equatable {
        case no
        case yes
        /// Some rule would apply if the object's tags match: ask again with them.
        case needsTags
    }

    /// Whether the latest version of an object (not a delete marker) expires.
    func expiresCurrent(key: String, size: Int, lastModified: Date, tags: [String: String]?) -> Decision {
        decide(key: key, size: size, tags: tags) { rule in
            guard let expiration = rule.expiration else { return false }
            if let date = expiration.date, now >= date { return true }
            return expiration.timing.map { isDue($0, since: lastModified) } ?? false
        }
    }

    /// Whether a noncurrent version, replaced at `noncurrentSince`, expires.
    func expiresNoncurrent(key: String, size: Int, noncurrentSince: Date, tags: [String: String]?) -> Decision {
        decide(key: key, size: size, tags: tags) { rule in
            rule.noncurrentExpirationDays.map { isDue(.days($0), since: noncurrentSince) } ?? false
        }
    }

    /// Whether a delete marker with no version behind it is removed (`ExpiredObjectDeleteMarker`).
    /// Markers have no tags or size: only rules without tag or size conditions apply.
    func removesLoneDeleteMarker(key: String) -> Bool {
        rules.contains { rule in
            rule.expiration?.expiredObjectDeleteMarker == true && key.hasPrefix(rule.prefix) && rule.tags.isEmpty
                && rule.filter?.objectSizeGreaterThan == nil && rule.filter?.objectSizeLessThan == nil
                && !excluded(key, rule, tags: [:])
        }
    }

    /// Whether an unfinished multipart upload is aborted. Uploads have no tags yet: rules with
    /// tag conditions do not apply to them.
    func abortsUpload(key: String, initiated: Date) -> Bool {
        rules.contains { rule in
            guard let timing = rule.abortMultipartUpload, key.hasPrefix(rule.prefix), rule.tags.isEmpty else { return false }
            return isDue(timing, since: initiated)
        }
    }

    /// Whether any rule can act on objects or uploads at all.
    var isEmpty: Bool { rules.isEmpty }

    // MARK: Matching

    private func decide(
        key: String, size: Int, tags: [String: String]?, action: (OSSLifecycleConfiguration.Rule) -> Bool
    ) -> Decision {
        var needsTags = false
        for rule in rules where key.hasPrefix(rule.prefix) && fitsSize(size, rule) && action(rule) {
            let usesTags = !rule.tags.isEmpty || rule.filter?.notTag != nil
            guard let tags else {
                if usesTags {
                    needsTags = true
                    continue
                }
                if !excluded(key, rule, tags: [:]) { return .yes }
                continue
            }
            if rule.tags.allSatisfy({ tags[$0.key] == $0.value }), !excluded(key, rule, tags: tags) { return .yes }
        }
        return needsTags ? .needsTags : .no
    }

    private func fitsSize(_ size: Int, _ rule: OSSLifecycleConfiguration.Rule) -> Bool {
        if let bound = rule.filter?.objectSizeGreaterThan, Int64(size) <= bound { return false }
        if let bound = rule.filter?.objectSizeLessThan, Int64(size) >= bound { return false }
        return true
    }

    /// `Filter/Not`: keys under its prefix, with its tag when it names one, are left alone.
    private func excluded(_ key: String, _ rule: OSSLifecycleConfiguration.Rule, tags: [String: String]) -> Bool {
        guard let filter = rule.filter, filter.notPrefix != nil || filter.notTag != nil else { return false }
        guard key.hasPrefix(filter.notPrefix ?? "") else { return false }
        guard let tag = filter.notTag else { return true }
        return tags[tag.key] == tag.value
    }

    /// Whether `timing`, counted from `start`, has come.
    func isDue(_ timing: OSSLifecycleConfiguration.Timing, since start: Date) -> Bool {
        switch timing {
        case .createdBefore(let date):
            return start < date
        case .days(let days):
            let startOfNextDay = (start.timeIntervalSince1970 / day).rounded(.up) * day
            return now.timeIntervalSince1970 >= startOfNextDay + Double(days) * day
        }
    }
}
