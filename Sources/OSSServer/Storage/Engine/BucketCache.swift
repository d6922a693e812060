import NIOConcurrencyHelpers

/// What every request of some kind needs to know about a bucket (its record: owner, ACL and Block
/// Public Access for nearly every request; its policy: every request from someone other than the
/// owner; its referer rules: every anonymous request and presigned URL), kept in memory so that
/// the common case costs no metadata read.
///
/// This engine is the only writer of its metadata, so dropping an entry once a change committed
/// keeps the cache exact, provided a read that raced with the change does not put the old value
/// back: every change advances an epoch, and a value read from the database is remembered only
/// if no change happened since the read began. Servers that share their metadata store with
/// others cannot know of their changes, so theirs keep nothing (``init(shared:)``).
final class BucketCache<Value: Sendable>: Sendable {
    private struct State {
        var entries: [String: Value] = [:]
        var epoch = 0
    }

    private let state = NIOLockedValueBox(State())
    /// Beyond this many buckets the cache starts over, so that names that come and go (or that
    /// callers make up) cannot grow it without bound.
    private let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// A cache for a server that shares its metadata store with others (`shared`): it keeps
    /// nothing, and every request reads what it needs.
    convenience init(shared: Bool) {
        self.init(capacity: shared ? 0 : 100_000)
    }

    /// The cached value of `bucket`, `nil` when unknown.
    func value(_ bucket: String) -> Value? {
        state.withLockedValue { $0.entries[bucket] }
    }

    /// Call before reading a value from the database; pass the result to ``remember(_:_:readAt:)``.
    var epoch: Int { state.withLockedValue { $0.epoch } }

    /// Keeps `value`, read from the database after ``epoch`` was `readAt`, unless a change
    /// committed since.
    func remember(_ bucket: String, _ value: Value, readAt epoch: Int) {
        state.withLockedValue { state in
            guard state.epoch == epoch, capacity > 0 else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[bucket] = value
        }
    }

    /// Drops the entry after a change to the bucket's value (or the bucket) committed, or may have.
    func forget(_ bucket: String) {
        state.withLockedValue { state in
            state.epoch += 1
            state.entries.removeValue(forKey: bucket)
        }
    }
}
