import NIOCore

/// Object bytes as immutable files under the data directory.
///
/// Layout: `blobs/<first two hex digits>/<32 hex digits>` for published blobs and
/// `tmp/<32 hex digits>` while a body is being received. A blob becomes visible only by an atomic
/// `rename` from `tmp/` after it was fsynced, so a crash leaves either nothing, a temporary file,
/// or a complete blob; recovery deletes whichever of those metadata does not refer to. Every
/// call that touches the disk runs on the blocking pool (``BlockingIO``).
struct FileBlobStore: BlobStore {
    /// The data directory.
    let root: String
    /// Where each fsync's duration goes.
    var timings = StorageTimings()

    var blobsDirectory: String { root + "/blobs" }
    var temporaryDirectory: String { root + "/tmp" }

    func path(of blob: BlobID) -> String { "\(blobsDirectory)/\(blob.shard)/\(blob.rawValue)" }
    func temporaryPath(of blob: BlobID) -> String { "\(temporaryDirectory)/\(blob.rawValue)" }

    /// Creates `blobs/00` … `blobs/ff` and `tmp/` if missing, and makes their creation durable,
    /// so that publishing a blob only ever needs to fsync its shard directory.
    func prepare() throws(StorageError) {
        var created = try FileSystem.makeDirectory(blobsDirectory)
        created = try FileSystem.makeDirectory(temporaryDirectory) || created
        for shard in 0..<256 {
            let name = String(shard, radix: 16)
            created = try FileSystem.makeDirectory("\(blobsDirectory)/\(name.count == 1 ? "0" + name : name)") || created
        }
        if created {
            try FileSystem.synchronizeDirectory(blobsDirectory)
            try FileSystem.synchronizeDirectory(root)
        }
    }

    /// Creates and removes a file in `tmp/`, where every write starts.
    func probe() async throws(StorageError) {
        let path = temporaryPath(of: BlobID.random())
        try await BlockingIO.run { () throws(StorageError) in
            _ = try BlobFile.create(path)
            try FileSystem.removeFile(path)
        }
    }

    func create() async throws(StorageError) -> any BlobWriter {
        let blob = BlobID.random()
        let path = temporaryPath(of: blob)
        let file = try await BlockingIO.run { () throws(StorageError) in try BlobFile.create(path) }
        return Writer(store: self, blob: blob, file: file)
    }

    func open(_ blob: BlobID) async throws(StorageError) -> any BlobReader {
        let path = path(of: blob)
        return Reader(file: try await BlockingIO.run { () throws(StorageError) in try BlobFile.openForReading(path) })
    }

    func size(of blob: BlobID) async throws(StorageError) -> Int? {
        let path = path(of: blob)
        return try await BlockingIO.run { () throws(StorageError) -> Int? in try FileSystem.fileSizeIfPresent(path) }
    }

    /// Not durable on purpose: a deletion lost in a crash leaves an orphan that recovery removes.
    func remove(_ blobs: [BlobID]) async throws(StorageError) {
        let paths = blobs.map(path(of:))
        try await BlockingIO.run { () throws(StorageError) in
            for path in paths { try FileSystem.removeFile(path) }
        }
    }

    func removeLeftovers(of blobs: [BlobID]) async throws(StorageError) {
        let paths = blobs.flatMap { [temporaryPath(of: $0), path(of: $0)] }
        try await BlockingIO.run { () throws(StorageError) in
            for path in paths { try FileSystem.removeFile(path) }
        }
    }

    func removeUnfinished() async throws(StorageError) -> Int {
        let directory = temporaryDirectory
        return try await BlockingIO.run { () throws(StorageError) in
            let names = try FileSystem.contents(of: directory)
            for name in names { try FileSystem.removeFile(directory + "/" + name) }
            return names.count
        }
    }

    /// Files with other names than blobs' are ignored, never deleted.
    func publishedBlobs() async throws(StorageError) -> [BlobID] {
        let directory = blobsDirectory
        return try await BlockingIO.run { () throws(StorageError) in
            var found: [BlobID] = []
            for shard in try FileSystem.contents(of: directory) where shard.utf8.count == 2 {
                for name in try FileSystem.contents(of: "\(directory)/\(shard)") {
                    if let blob = BlobID(rawValue: name), blob.shard == shard { found.append(blob) }
                }
            }
            return found
        }
    }

    /// A temporary file in `tmp/`, moved into `blobs/` when published.
    struct Writer: BlobWriter {
        let store: FileBlobStore
        let blob: BlobID
        let file: BlobFile

        func write(_ buffer: ByteBuffer, at offset: Int, durable: Bool) async throws(StorageError) {
            let file = self.file
            try await BlockingIO.run { () throws(StorageError) in
                if buffer.readableBytes > 0 {
                    try file.writeAll(buffer)
                    file.startWriteback(offset: offset, count: buffer.readableBytes)
                }
                if durable { try store.timings.measure(.blobSync) { () throws(StorageError) in try file.synchronize() } }
            }
        }

        /// Moves the fsynced temporary file into place and makes the move durable.
        func publish() async throws(StorageError) {
            let (from, to, shard) = (store.temporaryPath(of: blob), store.path(of: blob), "\(store.blobsDirectory)/\(blob.shard)")
            let timings = store.timings
            try await BlockingIO.run { () throws(StorageError) in
                try FileSystem.move(from, to: to)
                try timings.measure(.directorySync) { () throws(StorageError) in try FileSystem.synchronizeDirectory(shard) }
            }
        }

        func discard() async {
            let path = store.temporaryPath(of: blob)
            try? await BlockingIO.run { () throws(StorageError) in try FileSystem.removeFile(path) }
        }
    }

    /// A published blob file, read with `pread` on the blocking pool.
    struct Reader: BlobReader {
        let file: BlobFile

        func read(count: Int, at offset: Int) async throws(StorageError) -> ByteBuffer {
            let file = self.file
            return try await BlockingIO.run { () throws(StorageError) in try file.read(count: count, at: offset) }
        }
    }
}
