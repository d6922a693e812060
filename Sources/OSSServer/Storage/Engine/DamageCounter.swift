import NIOConcurrencyHelpers

/// Counts damage found in stored bytes, for operators: reads and copies refused because stored
/// bytes failed their CRC-64, and blobs the scrubber found damaged. Each is an object that needs
/// restoring; each is also logged at error level with the object and both CRCs.
final class DamageCounter: Sendable {
    private let counts = NIOLockedValueBox((reads: 0, scrubbed: 0))

    /// Refusals since the storage was opened.
    var damagedReads: Int { counts.withLockedValue { $0.reads } }
    /// Damaged blobs the scrubber found since the storage was opened.
    var damagedByScrub: Int { counts.withLockedValue { $0.scrubbed } }

    func record() {
        counts.withLockedValue { $0.reads += 1 }
    }

    func recordScrubbed() {
        counts.withLockedValue { $0.scrubbed += 1 }
    }
}
