/// Holds proxy requests back until released, so a test can interrupt a transfer at a known
/// point: "these parts finished, those are in flight".
actor Gate {
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var released = false

    /// Suspends until ``release()``; returns at once afterwards.
    func wait() async {
        guard !released else { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        released = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    /// Waits (bounded, polling) until `count` requests are held.
    func waitUntilHolding(_ count: Int) async -> Bool {
        for _ in 0..<3000 {
            if waiters.count >= count { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

extension ProxyExchange {
    /// Turns a held request into a harmless one, so that nothing reaches the server after
    /// the transfer was interrupted.
    mutating func neutralise() {
        method = "GET"
        path = "/"
        requestBody = []
    }

    var isRangedGet: Bool {
        method == "GET" && requestHeaders.contains { $0.name.lowercased() == "range" }
    }
}
