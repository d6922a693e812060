import NIOCore

/// Where object bytes live: immutable blobs named by ``BlobID``, behind one protocol so that the
/// engine does not care whether they are files under the data folder (``FileBlobStore``) or
/// objects in an S3-compatible backend.
///
/// The rules every implementation keeps, and the engine relies on:
/// - A blob being received is invisible until ``BlobWriter/publish()``, and a crash before that
///   leaves nothing that ``removeUnfinished()`` does not clear.
/// - A published blob is durable and never changes; it disappears only through ``remove(_:)``.
/// - Reads may start at any offset; verification against the recorded CRC-64s is the engine's.
protocol BlobStore: Sendable {
    /// A new blob to receive bytes into.
    func create() async throws(StorageError) -> any BlobWriter
    /// Opens a published blob for reading.
    func open(_ blob: BlobID) async throws(StorageError) -> any BlobReader
    /// The length of a published blob, `nil` when there is none: the scrubber tells a blob that
    /// is gone from one it cannot read just now (which throws).
    func size(of blob: BlobID) async throws(StorageError) -> Int?
    /// Deletes published blobs; one already gone is not an error.
    func remove(_ blobs: [BlobID]) async throws(StorageError)
    /// Start-up recovery: removes the blobs that were still being received when the previous
    /// process stopped, and returns how many. Must run before any write starts.
    func removeUnfinished() async throws(StorageError) -> Int
    /// Every published blob, for recovery to compare with what metadata refers to.
    func publishedBlobs() async throws(StorageError) -> [BlobID]
    /// Removes whatever exists of these blobs, published or still being received: the
    /// leftovers of a server that stopped mid-write, which another server collects.
    func removeLeftovers(of blobs: [BlobID]) async throws(StorageError)
    /// Returns once the store can take a write: the readiness check (`/health/ready`) asks.
    /// Throws what a write would meet now (a folder gone or read-only, a backend unreachable).
    func probe() async throws(StorageError)
}

/// A blob being received: written front to back, then made durable, then published.
protocol BlobWriter: Sendable {
    /// The id the blob will be published under.
    var blob: BlobID { get }
    /// Writes `buffer` at `offset` (the bytes written so far); with `durable`, every byte
    /// written is on stable storage when this returns.
    func write(_ buffer: ByteBuffer, at offset: Int, durable: Bool) async throws(StorageError)
    /// Makes the durable blob visible under ``blob``, durably.
    func publish() async throws(StorageError)
    /// Gives the blob up: what was written is removed (errors are ignored: recovery clears
    /// whatever is left).
    func discard() async
}

/// A published blob, open for reading.
protocol BlobReader: Sendable {
    /// Up to `count` bytes at `offset`: fewer only at the end of the blob.
    func read(count: Int, at offset: Int) async throws(StorageError) -> ByteBuffer
}
