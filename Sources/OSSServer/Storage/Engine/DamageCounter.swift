import NIOConcurrencyHelpers

/// Counts reads and copies refused because stored bytes failed their CRC-64, for operators:
/// each one is an object that needs restoring. Every refusal is also logged at error level with
/// the object and both CRCs, by whoever answers the request.
final class DamageCounter: Sendable {
    private let count = NIOLockedValueBox(0)

    /// Refusals since the storage was opened.
    var damagedReads: Int { count.withLockedValue { $0 } }

    func record() {
        count.withLockedValue { $0 += 1 }
    }
}
