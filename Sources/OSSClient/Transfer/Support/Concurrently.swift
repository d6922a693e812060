/// Runs `body` for every element with at most `limit` running at once; the first error cancels
/// the others and is rethrown. This bound is what keeps a transfer's memory at
/// `limit × part size`.
func forEachConcurrently<Element: Sendable>(
    _ elements: [Element],
    limit: Int,
    _ body: @escaping @Sendable (Element) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var pending = elements.makeIterator()
        for _ in 0..<max(1, limit) {
            guard let element = pending.next() else { break }
            group.addTask { try await body(element) }
        }
        while try await group.next() != nil {
            if let element = pending.next() {
                group.addTask { try await body(element) }
            }
        }
    }
}
