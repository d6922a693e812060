import NIOConcurrencyHelpers

/// The bucket documents every request of some kind needs (referer rules: every anonymous request
/// and presigned URL), kept in memory so that the common case, a bucket without rules, costs no
/// metadata read.
///
/// This engine is the only writer of its metadata, so updating the entry in the same call that
/// commits a change keeps it exact. (Several servers on one metadata store would each need to
/// re-read it from time to time.)
final class BucketDocumentCache: Sendable {
    private let entries = NIOLockedValueBox([String: String?]())

    /// The cached document of `bucket`: `.some(nil)` when known to be unset, `nil` when unknown.
    func document(_ bucket: String) -> String?? {
        entries.withLockedValue { $0[bucket] }
    }

    func remember(_ bucket: String, _ document: String?) {
        entries.withLockedValue { $0[bucket] = .some(document) }
    }

    func forget(_ bucket: String) {
        entries.withLockedValue { _ = $0.removeValue(forKey: bucket) }
    }
}
