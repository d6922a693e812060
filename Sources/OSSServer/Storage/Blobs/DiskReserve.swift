import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file of allocated space kept in the data directory, given up when the disk is full so that
/// deletes can still commit and free space.
///
/// Deleting an object needs a little new space (its metadata transaction writes WAL pages), so
/// on a completely full disk even deletes would fail and nothing could be freed through the API.
/// The reserve holds that space back: a delete that fails with ENOSPC removes the reserve and is
/// retried once; the reserve is re-created after later deletes, once there is room for it again.
struct DiskReserve: Sendable {
    let path: String
    let size: Int
    /// Whether this process last saw the reserve missing (given up, or no room at start): only
    /// then is it worth trying to create it again, so deletes pay no system call for it.
    private let missing = NIOLockedValueBox(true)

    init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    /// Whether the reserve exists on disk.
    var isPresent: Bool { access(path, F_OK) == 0 }

    /// Whether a configured reserve is missing as far as this process knows.
    var needsCreating: Bool { size > 0 && missing.withLockedValue { $0 } }

    /// Creates the reserve if it is missing and the file system has room for twice its size;
    /// `false` when it could not (it is then absent, never partial).
    @discardableResult
    func ensure() -> Bool {
        guard size > 0 else { return true }
        guard !isPresent else {
            missing.withLockedValue { $0 = false }
            return true
        }
        var status = statvfs()
        guard statvfs(path, &status) == 0 || statvfs(Self.directory(of: path), &status) == 0,
              Int(status.f_bavail) * Int(status.f_frsize) >= 2 * size
        else { return false }
        let descriptor = open(path + ".new", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        let allocated = posix_fallocate(descriptor, 0, off_t(size)) == 0 && fsync(descriptor) == 0
        close(descriptor)
        guard allocated, rename(path + ".new", path) == 0 else {
            unlink(path + ".new")
            return false
        }
        missing.withLockedValue { $0 = false }
        return true
    }

    /// Deletes the reserve; `true` if there was one to give up.
    func release() -> Bool {
        missing.withLockedValue { $0 = true }
        return unlink(path) == 0
    }

    private static func directory(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    }
}

extension StorageError {
    /// Whether the file system (or the database on it) ran out of space.
    var isDiskFull: Bool {
        if case .io(_, _, let errno) = self { return errno == ENOSPC || errno == EDQUOT }
        return false
    }
}
