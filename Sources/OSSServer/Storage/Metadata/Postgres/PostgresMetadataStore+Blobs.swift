import Foundation
import PostgresNIO

/// The blob accounting of several nodes (``SharedMetadataStore``) in PostgreSQL: `nodes`,
/// `pending_blobs` and `blob_deletions` (schema v2).
extension PostgresMetadataStore: SharedMetadataStore {
    /// Bookkeeping commits need no fsync of their own: a record lost in a crash of the database
    /// server costs at most a leaked blob or a second, harmless deletion, never an object; the
    /// commit that makes an object durable is synchronous as always.
    private static let relaxed: PostgresQuery = "SET LOCAL synchronous_commit TO OFF"

    func recordPendingBlob(_ blob: BlobID, node: String) async throws(StorageError) {
        let now = MetadataCoding.milliseconds(.now)
        try await write { db in
            try await db.execute(Self.relaxed)
            try await db.execute(
                "INSERT INTO pending_blobs (blob, node, created_ms) VALUES (\(blob.rawValue), \(node), \(now))")
        }
    }

    func takeBlobsForDeletion(_ blobs: [BlobID], includingQueued: Bool) async throws(StorageError) -> [BlobID] {
        guard !blobs.isEmpty else { return [] }
        let names = blobs.map(\.rawValue)
        return try await write { db in
            try await db.execute(Self.relaxed)
            var taken = try await db.rows("DELETE FROM pending_blobs WHERE blob = ANY(\(names)) RETURNING blob")
            if includingQueued {
                taken += try await db.rows("DELETE FROM blob_deletions WHERE blob = ANY(\(names)) RETURNING blob")
            }
            return try taken.map { try MetadataCoding.blob(try $0("blob")) }
        }
    }

    func queueBlobsForDeletion(_ blobs: [BlobID]) async throws(StorageError) {
        guard !blobs.isEmpty else { return }
        try await write { db in
            try await db.execute(
                """
                INSERT INTO blob_deletions (blob, queued_ms) SELECT unnest(\(blobs.map(\.rawValue))::text[]), 0
                ON CONFLICT (blob) DO UPDATE SET queued_ms = 0
                """)
        }
    }

    func heartbeat(node: String, startedAt: Date) async throws(StorageError) {
        let (started, now) = (MetadataCoding.milliseconds(startedAt), MetadataCoding.milliseconds(.now))
        try await write { db in
            try await db.execute(Self.relaxed)
            try await db.execute(
                """
                INSERT INTO nodes (id, started_ms, seen_ms) VALUES (\(node), \(started), \(now))
                ON CONFLICT (id) DO UPDATE SET seen_ms = excluded.seen_ms
                """)
        }
    }

    /// The advisory lock only the collecting node holds.
    private static let collectorLock = "blob-collector"

    func collectGarbage(
        queuedBefore: Date, nodesSilentSince: Date, limit: Int,
        remove: @escaping @Sendable ([BlobID]) async throws(StorageError) -> Void
    ) async throws(StorageError) -> Int? {
        let (queueCutoff, silentCutoff) = (MetadataCoding.milliseconds(queuedBefore), MetadataCoding.milliseconds(nodesSilentSince))
        let logger = transactions.logger
        return try await run { () async throws -> Int? in
            try await transactions.client.withConnection { connection in
                let db = PostgresTransaction(connection: connection, logger: logger)
                // A session lock, held across the blob store's deletions; a node that dies
                // holding it releases it with its connection.
                guard try await db.value(PostgresTransactions.tryLock(Self.collectorLock), as: Bool.self) == true else {
                    return nil
                }
                let collected: Int
                do {
                    collected = try await Self.collect(
                        db, queueCutoff: queueCutoff, silentCutoff: silentCutoff, limit: limit, remove: remove)
                } catch {
                    // A session that is gone took its lock with it; nothing may be sent on it.
                    if PostgresTransactions.isConnectionLoss(error) {
                        try? await connection.close()
                    } else {
                        await PostgresTransactions.unlockAll(connection, logger: logger)
                    }
                    throw error
                }
                await PostgresTransactions.unlockAll(connection, logger: logger)
                return collected
            }
        }
    }

    /// One pass, each statement its own transaction.
    private static func collect(
        _ db: PostgresTransaction, queueCutoff: Int64, silentCutoff: Int64, limit: Int,
        remove: @Sendable ([BlobID]) async throws(StorageError) -> Void
    ) async throws -> Int {
        // The pending blobs of silent nodes move to the queue, due at once. Deleting the pending
        // row first is what keeps a node that was only slow from committing a blob collected
        // under it: its commit finds the row gone and fails (``claim(_:_:)``).
        try await db.execute(
            """
            WITH leaked AS (
                DELETE FROM pending_blobs WHERE blob IN (
                    SELECT pending.blob FROM pending_blobs AS pending LEFT JOIN nodes ON nodes.id = pending.node
                    WHERE pending.created_ms < \(silentCutoff) AND (nodes.seen_ms IS NULL OR nodes.seen_ms < \(silentCutoff))
                    LIMIT \(limit))
                RETURNING blob)
            INSERT INTO blob_deletions (blob, queued_ms) SELECT blob, 0 FROM leaked ON CONFLICT (blob) DO NOTHING
            """)
        let due = try await db.rows(
            "SELECT blob FROM blob_deletions WHERE queued_ms < \(queueCutoff) ORDER BY queued_ms LIMIT \(limit)"
        ).map { try MetadataCoding.blob(try $0("blob")) }
        if !due.isEmpty {
            // Rows stay until the blobs are gone: a failed pass leaves them for the next one.
            try await remove(due)
            try await db.execute("DELETE FROM blob_deletions WHERE blob = ANY(\(due.map(\.rawValue)))")
        }
        // Nodes long gone, with nothing pending.
        try await db.execute(
            """
            DELETE FROM nodes WHERE seen_ms < \(silentCutoff)
                AND NOT EXISTS (SELECT 1 FROM pending_blobs WHERE pending_blobs.node = nodes.id)
            """)
        return due.count
    }

    /// ``claim(_:_:)`` for the blob of every segment kept in the blob store.
    static func claim(_ db: PostgresTransaction, _ segments: some Sequence<BlobSegment>) async throws {
        for segment in segments where segment.inline == nil { try await claim(db, segment.blob) }
    }

    /// In the transaction that first refers to `blob`, before it drops any reference: takes
    /// over its pending record. A blob with
    /// neither a pending record nor another reference was collected as leaked (its node was
    /// silent too long), so the write cannot commit.
    static func claim(_ db: PostgresTransaction, _ blob: BlobID) async throws {
        guard try await db.execute("DELETE FROM pending_blobs WHERE blob = \(blob.rawValue) RETURNING 1") == 0 else { return }
        let referenced = try await db.value(
            """
            SELECT EXISTS (SELECT 1 FROM segments WHERE blob = \(blob.rawValue))
                OR EXISTS (SELECT 1 FROM parts WHERE blob = \(blob.rawValue))
            """, as: Bool.self)
        guard referenced == true else {
            throw StorageError.backend(
                operation: "metadata commit",
                detail: "blob \(blob) was collected while this node was silent, so it cannot be committed; send the request again",
                unavailable: true, retriable: false)
        }
    }
}
