import Logging

/// What start-up recovery removed, and what it could not repair.
struct RecoveryReport: Sendable, Hashable {
    /// Bodies that were being received when the previous process stopped.
    var temporaryFilesRemoved: Int
    /// Blobs published but never committed, or released but not yet deleted, at the crash.
    var orphanBlobsRemoved: Int
    /// Blobs metadata refers to but the disk lacks: data lost outside storage's control (readers
    /// of the affected objects will fail). Recovery reports them and changes nothing.
    var missingBlobs: [BlobID]

    /// Deletes every unfinished blob and every blob no metadata refers to.
    ///
    /// Must run before any write starts: a write in flight has a published blob that its
    /// transaction has not committed yet, and recovery would take it for an orphan.
    ///
    /// A store other servers share is left alone: what this server does not know of may be
    /// another server's write in flight.
    static func recover(blobs: any BlobStore, metadata: any MetadataStore, logger: Logger) async throws(StorageError)
        -> RecoveryReport
    {
        if metadata.isShared { return RecoveryReport(temporaryFilesRemoved: 0, orphanBlobsRemoved: 0, missingBlobs: []) }
        let temporary = try await blobs.removeUnfinished()
        let referenced = try await metadata.referencedBlobs()
        let published = Set(try await blobs.publishedBlobs())
        let orphans = published.subtracting(referenced).sorted()
        try await blobs.remove(orphans)
        let missing = referenced.subtracting(published).sorted()
        let report = RecoveryReport(temporaryFilesRemoved: temporary, orphanBlobsRemoved: orphans.count, missingBlobs: missing)
        if temporary > 0 || !orphans.isEmpty {
            logger.notice(
                "recovery removed leftovers of an interrupted run",
                metadata: ["temporaryFiles": "\(temporary)", "orphanBlobs": "\(orphans.count)"])
        }
        if !missing.isEmpty {
            logger.error(
                "blobs referenced by metadata are missing on disk: their objects cannot be read",
                metadata: ["count": "\(missing.count)", "first": "\(missing[0])"])
        }
        return report
    }
}
