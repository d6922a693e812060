import NIOConcurrencyHelpers

/// How long the storage's durability points take, for operators: each `fsync` of a blob's data
/// or of the directory a blob was renamed in, and each metadata commit. A write is acknowledged
/// only after them, so they are where a slow or failing disk (or database) shows first.
///
/// The storage measures; whoever watches (the server's metrics) is attached once it exists,
/// since the storage is opened before the server that reports on it.
final class StorageTimings: Sendable {
    /// A durability point.
    enum Event: Sendable, CaseIterable {
        /// `fsync` of a blob file's data.
        case blobSync
        /// `fsync` of the directory a blob was published in (the rename made durable).
        case directorySync
        /// A metadata transaction's commit, durable when it returns: SQLite's (one WAL sync for
        /// a group of writes) or PostgreSQL's (its WAL flush and the round trip).
        case metadataCommit
    }

    private let observer = NIOLockedValueBox<(@Sendable (Event, Duration) -> Void)?>(nil)

    init() {}

    /// Sends every later measurement to `observer` (replacing any earlier one).
    func observe(_ observer: @escaping @Sendable (Event, Duration) -> Void) {
        self.observer.withLockedValue { $0 = observer }
    }

    /// Records `event` as having taken from `start` until now.
    func record(_ event: Event, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        observer.withLockedValue { $0 }?(event, elapsed)
    }

    /// Runs `body` and records how long it took, also when it throws.
    func measure<T, E: Error>(_ event: Event, _ body: () throws(E) -> T) throws(E) -> T {
        let start = ContinuousClock.now
        defer { record(event, since: start) }
        return try body()
    }
}
