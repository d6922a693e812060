import GRDB
import NIOConcurrencyHelpers

/// Group commit: write transactions that arrive while another commits wait, then run together in
/// one database transaction, each in a savepoint of its own, and share its one WAL sync.
///
/// With `synchronous = FULL` every commit syncs the WAL, and that sync, not SQLite, bounds how
/// many concurrent writes per second the disk takes. Sharing it changes nothing a caller sees:
/// a write still returns only once the commit that holds it is durable; one that throws is
/// rolled back to its savepoint, alone, as if it had run by itself; if the shared commit fails,
/// every write in it fails and none is visible.
final class GroupCommit: Sendable {
    /// How one write ended inside the shared transaction, and how to tell its caller once the
    /// transaction ended.
    private struct Ran: Sendable {
        let failure: (any Error)?
        let finish: @Sendable (Result<Void, any Error>) -> Void
    }

    /// One write waiting for its turn.
    private struct Pending: Sendable {
        /// Runs the write in a savepoint.
        let run: @Sendable (Database) -> Ran
        /// Finishes a write that never ran, because the transaction failed before its turn.
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var queue: [Pending] = []
        /// Whether a task is running batches; the other writers only enqueue.
        var draining = false
    }

    private let pool: DatabasePool
    private let timings: StorageTimings
    private let state = NIOLockedValueBox(State())
    /// The most writes one transaction takes, so that one commit never waits for an unbounded
    /// amount of work.
    static let batchLimit = 256

    init(pool: DatabasePool, timings: StorageTimings = StorageTimings()) {
        self.pool = pool
        self.timings = timings
    }

    /// Runs `body` in a write transaction shared with the writes that arrive meanwhile; durable
    /// when this returns. Throws what `body` threw (its changes rolled back), or the commit's error.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = Pending(
                run: { db in
                    let outcome: Result<T, any Error>
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try body(db)
                            return .commit
                        }
                        outcome = .success(value!)
                    } catch {
                        outcome = .failure(error)
                    }
                    let failure: (any Error)? = if case .failure(let error) = outcome { error } else { nil }
                    return Ran(failure: failure) { committed in
                        switch (committed, outcome) {
                        case (.failure(let error), _): continuation.resume(throwing: error)
                        case (.success, .success(let value)): continuation.resume(returning: value)
                        case (.success, .failure(let error)): continuation.resume(throwing: error)
                        }
                    }
                },
                fail: { error in continuation.resume(throwing: error) })
            let leads = state.withLockedValue { state in
                state.queue.append(pending)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if leads { Task { await self.drain() } }
        }
    }

    /// Runs batches until the queue is empty: each takes what queued while the one before it
    /// committed.
    private func drain() async {
        while true {
            let batch: [Pending] = state.withLockedValue { state in
                let batch = Array(state.queue.prefix(Self.batchLimit))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let ran = NIOLockedValueBox<[Ran]>([])
            // When the last write of the batch ran: from there to pool.write's return is the commit.
            let ranAll = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
            let committed: Result<Void, any Error>
            do {
                try await pool.write { db in
                    for pending in batch {
                        let outcome = pending.run(db)
                        ran.withLockedValue { $0.append(outcome) }
                        // Some errors (a full disk) make SQLite roll the whole transaction back:
                        // then nothing of the batch stands, and the batch fails with that error.
                        if let failure = outcome.failure, !db.isInsideTransaction { throw failure }
                    }
                    ranAll.withLockedValue { $0 = .now }
                }
                if let start = ranAll.withLockedValue({ $0 }) { timings.record(.metadataCommit, since: start) }
                committed = .success(())
            } catch {
                committed = .failure(error)
            }
            let finished = ran.withLockedValue { $0 }
            for outcome in finished { outcome.finish(committed) }
            if case .failure(let error) = committed {
                for pending in batch.dropFirst(finished.count) { pending.fail(error) }
            }
        }
    }
}
