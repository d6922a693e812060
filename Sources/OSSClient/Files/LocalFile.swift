#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import NIOPosix

/// An open file with positional reads and writes, run on NIO's blocking-IO thread pool so that
/// disk waits never block the cooperative executor.
///
/// Positional I/O (`pread`/`pwrite`) is what lets parallel transfers share one descriptor:
/// every part reads or writes its own offsets with no shared file position.
struct LocalFile: Sendable {
    let path: String
    let descriptor: Int32
    /// Vectors per `pwritev` call: IOV_MAX on Linux and Darwin (the macro is not imported).
    static let maximumVectors = 1024

    /// Opens an existing file for reading.
    static func openForReading(_ path: String) async throws -> LocalFile {
        try await openFile(path, flags: O_RDONLY)
    }

    /// Opens a file for reading and writing, creating it (mode 0644) when missing.
    static func openForWriting(_ path: String, truncate: Bool) async throws -> LocalFile {
        try await openFile(path, flags: O_RDWR | O_CREAT | (truncate ? O_TRUNC : 0))
    }

    private static func openFile(_ path: String, flags: Int32) async throws -> LocalFile {
        try await blocking {
            let descriptor = open(path, flags | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw failure(path, "cannot open") }
            return LocalFile(path: path, descriptor: descriptor)
        }
    }

    /// Reads exactly `count` bytes at `offset`.
    /// - Throws: ``OSSClientError/localFile(path:reason:)`` on an I/O error or early end of file
    ///   (the file shrank during the transfer).
    func read(at offset: Int64, count: Int) async throws -> ByteBuffer {
        try await Self.blocking { [self] in
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var done = 0
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
                while done < count {
                    let result = pread(descriptor, pointer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                    if result < 0, errno == EINTR { continue }
                    guard result > 0 else {
                        throw result == 0
                            ? OSSClientError.localFile(path: path, reason: "ended early: the file changed during the transfer")
                            : Self.failure(path, "cannot read")
                    }
                    done += result
                }
                return count
            }
            return buffer
        }
    }

    /// Writes all readable bytes of `buffer` at `offset`.
    func write(_ buffer: ByteBuffer, at offset: Int64) async throws {
        try await Self.blocking { [self] in
            try buffer.withUnsafeReadableBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                    if result < 0, errno == EINTR { continue }
                    guard result > 0 else { throw Self.failure(path, "cannot write") }
                    done += result
                }
            }
        }
    }

    /// Writes the readable bytes of `buffers`, one after the other, at `offset`, in as few
    /// `pwritev` calls as the kernel allows: network chunks go to the file without first being
    /// copied into one buffer.
    func write(_ buffers: [ByteBuffer], at offset: Int64) async throws {
        try await Self.blocking { [self] in
            // The closure keeps `buffers` alive and unchanged, so their storage stays put while the
            // kernel reads it; the storage-managed accessor makes holding the pointers legal.
            var vectors: [iovec] = []
            var storages: [Unmanaged<AnyObject>] = []
            defer { storages.forEach { $0.release() } }
            for buffer in buffers where buffer.readableBytes > 0 {
                buffer.withUnsafeReadableBytesWithStorageManagement { bytes, storage in
                    storages.append(storage.retain())
                    vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count))
                }
            }
            var position = off_t(offset)
            var first = 0
            while first < vectors.count {
                let count = Int32(Swift.min(vectors.count - first, Self.maximumVectors))
                let result = vectors.withUnsafeBufferPointer { pwritev(descriptor, $0.baseAddress! + first, count, position) }
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { throw Self.failure(path, "cannot write") }
                position += off_t(result)
                // Skip what was written: whole vectors, then part of the next one.
                var written = result
                while first < vectors.count, written >= vectors[first].iov_len {
                    written -= vectors[first].iov_len
                    first += 1
                }
                if written > 0 {
                    vectors[first].iov_base += written
                    vectors[first].iov_len -= written
                }
            }
        }
    }

    /// Sets the file's length (a download's temp file gets its final size up front).
    func truncate(to size: Int64) async throws {
        try await Self.blocking { [self] in
            guard ftruncate(descriptor, off_t(size)) == 0 else { throw Self.failure(path, "cannot set the size") }
        }
    }

    /// Flushes written data to the disk, so a rename afterwards never publishes a hole.
    func sync() async throws {
        try await Self.blocking { [self] in
            guard fsync(descriptor) == 0 else { throw Self.failure(path, "cannot sync") }
        }
    }

    func close() {
        closeDescriptor(descriptor)
    }

    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    static func failure(_ path: String, _ action: String) -> OSSClientError {
        .localFile(path: path, reason: "\(action): \(String(cString: strerror(errno)))")
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
