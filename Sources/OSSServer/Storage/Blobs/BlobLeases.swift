import Logging
import NIOConcurrencyHelpers

/// Keeps blob files alive while readers use them, so that deleting or overwriting an object never
/// cuts off a GET that already started.
///
/// After a commit drops the last reference to a blob, the engine *retires* it: deleted at once if
/// no reader holds it, otherwise when the last reader lets go. A blob is leased only after its
/// object was read from metadata, so ``ObjectStorage`` re-reads the record after leasing to close
/// the window in which a retirement could slip in between.
final class BlobLeases: Sendable {
    private let blobs: any BlobStore
    private let logger: Logger
    /// Readers per blob, and retired blobs waiting for their last reader.
    private struct State {
        var readers: [BlobID: Int] = [:]
        var retired: Set<BlobID> = []
    }
    private let state = NIOLockedValueBox(State())

    init(blobs: any BlobStore, logger: Logger) {
        self.blobs = blobs
        self.logger = logger
    }

    /// Holds `ids` until the returned lease is released (dropped).
    func lease(_ ids: [BlobID]) -> BlobLease {
        state.withLockedValue { state in
            for id in ids { state.readers[id, default: 0] += 1 }
        }
        return BlobLease(ids: ids, owner: self)
    }

    /// Deletes the blobs now, except those a reader holds, which go when released.
    func retire(_ ids: [BlobID]) async {
        guard !ids.isEmpty else { return }
        let deletable = state.withLockedValue { state in
            ids.filter { id in
                guard state.readers[id] != nil else { return true }
                state.retired.insert(id)
                return false
            }
        }
        await remove(deletable)
    }

    /// Number of readers holding `id`, for tests.
    func readerCount(_ id: BlobID) -> Int {
        state.withLockedValue { $0.readers[id] ?? 0 }
    }

    fileprivate func release(_ ids: [BlobID]) {
        let deletable = state.withLockedValue { state in
            ids.filter { id in
                let remaining = (state.readers[id] ?? 1) - 1
                state.readers[id] = remaining > 0 ? remaining : nil
                return remaining <= 0 && state.retired.remove(id) != nil
            }
        }
        guard !deletable.isEmpty else { return }
        // Called from a deinit, which cannot wait: delete in the background.
        Task { await self.remove(deletable) }
    }

    private func remove(_ ids: [BlobID]) async {
        guard !ids.isEmpty else { return }
        do {
            try await blobs.remove(ids)
        } catch {
            // The metadata no longer refers to them: recovery deletes them at the next start.
            logger.warning("could not delete released blobs", metadata: ["error": "\(error)"])
        }
    }
}

/// A hold on some blobs; dropping the last copy releases them.
final class BlobLease: Sendable {
    let ids: [BlobID]
    private let owner: BlobLeases

    fileprivate init(ids: [BlobID], owner: BlobLeases) {
        self.ids = ids
        self.owner = owner
    }

    deinit { owner.release(ids) }
}
