import NIOConcurrencyHelpers

/// Named locks inside one process, handed over first come, first served.
///
/// Writers of one hot key on one node wait here, in memory, instead of each holding a pooled
/// database connection while it waits for the key's advisory lock: the pool stays free for
/// everything else the node serves.
final class KeyedLocks: Sendable {
    /// Held names, each with the tasks waiting for it in arrival order.
    private let state = NIOLockedValueBox<[String: [CheckedContinuation<Void, Never>]]>([:])

    /// Runs `body` holding every name of `names` (sorted, so that two callers never wait for
    /// each other in a cycle).
    func withLocks<T>(_ names: [String], _ body: () async throws -> T) async rethrows -> T {
        let names = Array(Set(names)).sorted()
        for name in names { await acquire(name) }
        defer { for name in names.reversed() { release(name) } }
        return try await body()
    }

    private func acquire(_ name: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLockedValue { state in
                guard state[name] != nil else {
                    state[name] = []
                    return true
                }
                state[name]!.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release(_ name: String) {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard var waiters = state[name], !waiters.isEmpty else {
                state[name] = nil
                return nil
            }
            let first = waiters.removeFirst()
            state[name] = waiters
            return first
        }
        next?.resume()
    }
}
