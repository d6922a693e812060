import Foundation

/// One of the servers that share a metadata store.
struct SharedNode: Sendable, Hashable {
    /// Random per start: a server that restarts is a new node, and its previous self's
    /// unfinished writes are collected once that one's lease ran out.
    let id: String
    let started: Date
}

extension ObjectStorage {
    /// With metadata other servers share: says this server is alive and, unless another server
    /// is at it, removes from the blob store what no object needs any more: blobs released more
    /// than ``StorageConfiguration/deletionGrace`` ago and blobs that servers silent for more
    /// than ``StorageConfiguration/nodeLease`` were writing. Returns how many blobs it removed,
    /// `nil` for a server of its own or when another server collects.
    @discardableResult
    func collectGarbage(now: Date = Date(), limit: Int = 1000) async throws(StorageError) -> Int? {
        guard let node, let shared = metadata as? any SharedMetadataStore else { return nil }
        try await shared.heartbeat(node: node.id, startedAt: node.started)
        let base = (blobs as? SharedBlobStore)?.base ?? blobs
        return try await shared.collectGarbage(
            queuedBefore: now - configuration.deletionGrace.timeInterval,
            nodesSilentSince: now - configuration.nodeLease.timeInterval, limit: limit
        ) { blobs throws(StorageError) in
            try await base.removeLeftovers(of: blobs)
        }
    }
}

extension Duration {
    /// In seconds, as `Date` arithmetic takes them.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
