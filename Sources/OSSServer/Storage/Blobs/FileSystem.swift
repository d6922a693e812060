#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory-level POSIX calls storage needs; all block, so callers use ``BlockingIO``.
enum FileSystem {
    /// Creates a directory; `false` if it existed already.
    @discardableResult
    static func makeDirectory(_ path: String) throws(StorageError) -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        if errno == EEXIST { return false }
        throw StorageError.io(operation: "mkdir", path: path, errno: errno)
    }

    /// Atomically gives `source` the name `destination`, replacing nothing (blob names are unique).
    static func move(_ source: String, to destination: String) throws(StorageError) {
        guard rename(source, destination) == 0 else {
            throw StorageError.io(operation: "rename to \(destination)", path: source, errno: errno)
        }
    }

    /// Deletes a file; a file that is already gone is not an error.
    static func removeFile(_ path: String) throws(StorageError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw StorageError.io(operation: "unlink", path: path, errno: errno)
        }
    }

    /// Makes the directory's entries (creations, renames) durable.
    static func synchronizeDirectory(_ path: String) throws(StorageError) {
        try BlobFile.openDirectory(path).synchronize()
    }

    /// The names in a directory, without `.` and `..`.
    static func contents(of path: String) throws(StorageError) -> [String] {
        guard let directory = opendir(path) else {
            throw StorageError.io(operation: "opendir", path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The size of the file at `path`, `nil` when there is none.
    static func fileSizeIfPresent(_ path: String) throws(StorageError) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw StorageError.io(operation: "stat", path: path, errno: errno)
        }
        return Int(status.st_size)
    }

    /// The size of the file at `path`.
    static func fileSize(_ path: String) throws(StorageError) -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { throw StorageError.io(operation: "stat", path: path, errno: errno) }
        return Int(status.st_size)
    }
}
