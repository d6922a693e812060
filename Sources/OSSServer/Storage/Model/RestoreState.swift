import Foundation
import OSSProtocol

/// Where RestoreObject has taken an archived object: readable from ``readyTime`` until
/// ``expiryTime``; before, the restore is in progress; after, the object is archived again.
///
/// Stored as two times rather than a state, so that it moves on with the clock and needs no
/// background job.
struct RestoreState: Sendable, Hashable {
    /// When the bytes become readable.
    var readyTime: Date
    /// When they stop being readable again.
    var expiryTime: Date

    func isOngoing(at now: Date) -> Bool { now < readyTime }

    func isRestored(at now: Date) -> Bool { readyTime <= now && now < expiryTime }

    /// `x-oss-restore` and `RestoreInfo` at `now`: `ongoing-request="true"` while restoring,
    /// `ongoing-request="false", expiry-date="<RFC 1123>"` once restored, `nil` when expired.
    func header(at now: Date) -> String? {
        if isOngoing(at: now) { return "ongoing-request=\"true\"" }
        guard isRestored(at: now) else { return nil }
        return "ongoing-request=\"false\", expiry-date=\"\(OSSDateFormat.httpDate(expiryTime))\""
    }
}
