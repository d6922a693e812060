/// Limits and buffer sizes of an ``ObjectStorage``.
///
/// The defaults are OSS's limits (§5.3 of the protocol notes). Tests shrink them to exercise the
/// limits without writing gigabytes.
struct StorageConfiguration: Sendable {
    /// Bytes per read chunk and per write to disk. Memory per transfer is bounded by this, never by
    /// the object size; 1 MiB keeps system-call and thread-hop overhead below 1 % of copy time.
    var chunkSize: Int = 1 << 20
    /// Bytes per verified block of a blob (see ``BlockChecksums``): the most a ranged read or copy
    /// reads beyond its range at each end in order to verify what it sends, at 8 bytes of
    /// metadata per block.
    var blockSize: Int = 64 * 1024
    /// PutObject bodies of at most this many bytes (declared by `Content-Length`) are kept in
    /// the metadata database instead of a blob file: the one WAL sync of their transaction makes
    /// bytes and metadata durable together, where a file costs a create, two syncs and a rename.
    /// 0 keeps every body in a file.
    var inlineLimit: Int = 64 * 1024
    /// Bytes kept allocated in the data directory and given up when the disk fills, so that
    /// deletes still work (see ``DiskReserve``); 0 keeps none.
    var diskReserve: Int = 16 << 20
    /// Largest body of a PutObject, UploadPart or UploadPartCopy, and largest total size of an
    /// Appendable object. CopyObject has no limit: it shares blobs instead of copying bytes.
    var maxObjectSize: Int = 5 << 30
    /// Smallest size of every part of a multipart upload except the last.
    var minimumPartSize: Int = 102_400
    /// Highest part number of a multipart upload.
    var maxPartNumber: Int = 10_000
    /// How long RestoreObject takes to make an archived object readable. OSS takes minutes to
    /// hours; a few seconds keep the state machine visible (ongoing, then restored) without
    /// making clients wait.
    var restoreDelay: Duration = .seconds(5)
    /// With metadata other servers share: how long a blob no object refers to any more stays
    /// in the blob store, so that reads other servers started on it finish (this server's own
    /// readers hold theirs, ``BlobLeases``). 0 deletes at once.
    var deletionGrace: Duration = .seconds(60)
    /// With shared metadata: how often a server says it is alive and looks for garbage.
    var collectorInterval: Duration = .seconds(10)
    /// With shared metadata: how long a server may stay silent before the blobs it was writing
    /// are taken for the leftovers of a crash and collected.
    var nodeLease: Duration = .seconds(60)

    init() {}
}
