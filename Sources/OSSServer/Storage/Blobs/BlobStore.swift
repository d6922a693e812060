/// Object bytes as immutable files under the data directory.
///
/// Layout: `blobs/<first two hex digits>/<32 hex digits>` for published blobs and
/// `tmp/<32 hex digits>` while a body is being received. A blob becomes visible only by an atomic
/// `rename` from `tmp/` after it was fsynced, so a crash leaves either nothing, a temporary file,
/// or a complete blob; recovery deletes whichever of those metadata does not refer to.
struct BlobStore: Sendable {
    /// The data directory.
    let root: String

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

    /// A new, empty temporary file for a blob about to be received.
    func createTemporary() throws(StorageError) -> (BlobID, BlobFile) {
        let blob = BlobID.random()
        return (blob, try BlobFile.create(temporaryPath(of: blob)))
    }

    /// Moves a fully written and fsynced temporary file into place and makes the move durable.
    func publish(_ blob: BlobID) throws(StorageError) {
        try FileSystem.move(temporaryPath(of: blob), to: path(of: blob))
        try FileSystem.synchronizeDirectory("\(blobsDirectory)/\(blob.shard)")
    }

    func openBlob(_ blob: BlobID) throws(StorageError) -> BlobFile {
        try BlobFile.openForReading(path(of: blob))
    }

    /// Deletes published blobs. Not durable on purpose: a deletion lost in a crash leaves an
    /// orphan that recovery removes.
    func remove(_ blobs: [BlobID]) throws(StorageError) {
        for blob in blobs { try FileSystem.removeFile(path(of: blob)) }
    }

    func removeTemporary(_ blob: BlobID) throws(StorageError) {
        try FileSystem.removeFile(temporaryPath(of: blob))
    }

    /// Every published blob on disk; files with other names are ignored, never deleted.
    func publishedBlobs() throws(StorageError) -> [BlobID] {
        var found: [BlobID] = []
        for shard in try FileSystem.contents(of: blobsDirectory) where shard.utf8.count == 2 {
            for name in try FileSystem.contents(of: "\(blobsDirectory)/\(shard)") {
                if let blob = BlobID(rawValue: name), blob.shard == shard { found.append(blob) }
            }
        }
        return found
    }

    /// Names of the files left in `tmp/`.
    func temporaryFiles() throws(StorageError) -> [String] {
        try FileSystem.contents(of: temporaryDirectory)
    }
}
