import NIOConcurrencyHelpers

/// The bucket documents every request of some kind needs (referer rules: every anonymous request
/// and presigned URL), kept in memory so that the common case, a bucket without rules, costs no
/// metadata read.
///
/// This engine is the only writer of its metadata, so dropping an entry once a change committed
/// keeps the cache exact, provided a read that raced with the change does not put the old
/// document back: every change advances an epoch, and a document read from the database is
/// remembered only if no change happened since the read began. (Several servers on one metadata
/// store would each need to re-read it from time to time.)
final class BucketDocumentCache: Sendable {
    private struct State {
        var entries: [String: String?] = [:]
        var epoch = 0
    }

    private let state = NIOLockedValueBox(State())

    /// The cached document of `bucket`: `.some(nil)` when known to be unset, `nil` when unknown.
    func document(_ bucket: String) -> String?? {
        state.withLockedValue { $0.entries[bucket] }
    }

    /// Call before reading a document from the database; pass the result to ``remember(_:_:readAt:)``.
    var epoch: Int { state.withLockedValue { $0.epoch } }

    /// Keeps `document`, read from the database after ``epoch`` was `readAt`, unless a change
    /// committed since.
    func remember(_ bucket: String, _ document: String?, readAt epoch: Int) {
        state.withLockedValue { state in
            if state.epoch == epoch { state.entries[bucket] = .some(document) }
        }
    }

    /// Drops the entry after a change to the bucket's document (or the bucket) committed, or
    /// may have.
    func forget(_ bucket: String) {
        state.withLockedValue { state in
            state.epoch += 1
            state.entries.removeValue(forKey: bucket)
        }
    }
}
