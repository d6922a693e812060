#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// An open file descriptor, closed when the last reference goes away.
///
/// Every call blocks; callers run them through ``BlockingIO``. The descriptor never changes, so
/// the class is safely shared between the task that owns a transfer and the thread doing its I/O.
final class BlobFile: Sendable {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { _ = close(descriptor) }

    /// Creates a new file that must not exist yet, for writing.
    static func create(_ path: String) throws(StorageError) -> BlobFile {
        try opening(path, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, operation: "create")
    }

    /// Opens an existing file for reading.
    static func openForReading(_ path: String) throws(StorageError) -> BlobFile {
        try opening(path, flags: O_RDONLY | O_CLOEXEC, operation: "open")
    }

    /// Opens a directory, to fsync it or to hold a lock on it.
    static func openDirectory(_ path: String) throws(StorageError) -> BlobFile {
        try opening(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, operation: "open directory")
    }

    /// Opens or creates a regular file, for reading and locking.
    static func openOrCreate(_ path: String) throws(StorageError) -> BlobFile {
        try opening(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, operation: "open")
    }

    private static func opening(_ path: String, flags: Int32, operation: String) throws(StorageError) -> BlobFile {
        let descriptor = retryingOnInterrupt { open(path, flags, 0o644) }
        guard descriptor >= 0 else { throw StorageError.io(operation: operation, path: path, errno: errno) }
        return BlobFile(descriptor: descriptor, path: path)
    }

    /// Writes all readable bytes of `buffer`, however many calls that takes.
    func writeAll(_ buffer: ByteBuffer) throws(StorageError) {
        let failure: Int32? = buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw StorageError.io(operation: "write", path: path, errno: failure) }
    }

    /// Starts writing a just-written range to the disk without waiting for it, so that the
    /// fsync ending a large write finds little left to flush (Linux; nothing elsewhere). A
    /// failure here is not an error: the fsync still flushes everything.
    func startWriteback(offset: Int, count: Int) {
        #if os(Linux)
        _ = Self.syncFileRange?(descriptor, Int64(offset), Int64(count), 2)  // SYNC_FILE_RANGE_WRITE
        #endif
    }

    #if os(Linux)
    /// `sync_file_range(2)`, looked up once: Glibc's module does not export it (it is a GNU extension).
    private static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
    }()
    #endif

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(count: Int, at offset: Int) throws(StorageError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var failure: Int32?
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
            var total = 0
            while total < count {
                let got = pread(descriptor, bytes.baseAddress! + total, count - total, off_t(offset + total))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return total
                }
                if got == 0 { break }
                total += got
            }
            return total
        }
        if let failure { throw StorageError.io(operation: "read", path: path, errno: failure) }
        return buffer
    }

    /// Makes everything written so far durable (`fsync`).
    func synchronize() throws(StorageError) {
        guard retryingOnInterrupt({ fsync(descriptor) }) == 0 else {
            throw StorageError.io(operation: "fsync", path: path, errno: errno)
        }
    }

    /// Replaces the whole file with `text` (small notes such as who holds a lock).
    func replaceContents(_ text: String) throws(StorageError) {
        guard ftruncate(descriptor, 0) == 0 else { throw StorageError.io(operation: "truncate", path: path, errno: errno) }
        let written = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        guard written == text.utf8.count else { throw StorageError.io(operation: "write", path: path, errno: errno) }
    }

    /// The whole file as text (at most 4 KiB).
    func contents() throws(StorageError) -> String {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 4096, 0) }
        guard count >= 0 else { throw StorageError.io(operation: "read", path: path, errno: errno) }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }

    /// Takes an exclusive advisory lock without waiting; `false` if someone else holds one.
    func tryLock() throws(StorageError) -> Bool {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw StorageError.io(operation: "flock", path: path, errno: errno)
    }
}

/// Repeats a system call while it fails with `EINTR`.
func retryingOnInterrupt(_ call: () -> Int32) -> Int32 {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}
