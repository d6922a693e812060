import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies the contents of a local file without reading it: if none of these changed,
/// neither did the bytes, so a CRC computed earlier still holds.
///
/// The change time is part of it because the modification time alone can be set back (`touch
/// -d`, `cp -p`, `rsync -t`): a file rewritten with the same size and its old modification time
/// still gets a new change time, which no user call can set.
struct LocalFileStamp: Codable, Hashable, Sendable {
    var size: Int64
    /// Nanoseconds since 1970.
    var modified: Int64
    var changed: Int64
    var inode: UInt64

    /// The stamp of the file at `path` (not following a final symbolic link); `nil` when it is
    /// not a regular file or cannot be read.
    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
        #else
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #endif
        inode = UInt64(info.st_ino)
    }
}

/// The regular files under a folder, by `/`-separated path relative to it.
enum LocalTree {
    /// Walks `root`; symbolic links and special files are skipped with a note on standard error
    /// (following a link would sync data from outside the folder). A missing root is an empty
    /// tree when `mayBeMissing` (a destination not created yet).
    static func files(under root: URL, mayBeMissing: Bool) throws -> [String: LocalFileStamp] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            if mayBeMissing { return [:] }
            throw CommandFailure("\(root.path): no such folder")
        }
        guard isDirectory.boolValue else { throw CommandFailure("\(root.path): not a folder (sync works on folders and prefixes)") }
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw CommandFailure("\(root.path): cannot read the folder")
        }
        var files: [String: LocalFileStamp] = [:]
        while let relative = walker.nextObject() as? String {
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory { continue }
            if type == .typeRegular, let stamp = LocalFileStamp(path: root.path + "/" + relative) {
                files[relative] = stamp
            } else {
                FileHandle.standardError.write(Data("skipping \(root.path)/\(relative): not a regular file\n".utf8))
            }
        }
        return files
    }
}
