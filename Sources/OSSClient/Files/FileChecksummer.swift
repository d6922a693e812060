import CRC64

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CRC-64 of a file, or of a range of it: the one function the SDK (declared CRCs of uploads,
/// resumed downloads) and `oss crc64` / `oss verify` compute a file's checksum with.
///
/// Reads run on NIO's blocking thread pool, never on Swift's cooperative pool; memory is one
/// buffer per reader whatever the file size. Ranges of regular files of at least
/// ``parallelThreshold`` bytes are split across the CPU's cores and the pieces' checksums
/// combined.
package struct FileChecksummer: Sendable {
    package var variant: CRC64
    package var kernel: CRC64Kernel
    /// Each reader holds one buffer of this size.
    package var bufferSize = 1 << 20
    /// Ranges at least this large are read by several threads at once.
    package var parallelThreshold = 64 << 20

    package init(variant: CRC64 = .xz, kernel: CRC64Kernel = .best) {
        self.variant = variant
        self.kernel = kernel
    }

    /// Why a file could not be checksummed: the system's words (`No such file or directory`).
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
        init(errno code: Int32) { description = String(cString: strerror(code)) }
        init(_ description: String) { self.description = description }
    }

    /// The CRC of the file at `path` (`-` for standard input), or of `length` bytes from `offset`
    /// (to the end when `nil`); with `previous`, the CRC of the bytes whose CRC that was followed
    /// by these (an append's whole-object CRC).
    package func checksum(
        path: String, offset: Int64 = 0, length: Int64? = nil, resumingFrom previous: UInt64? = nil
    ) async throws -> UInt64 {
        let crc: UInt64
        let count: Int
        if path == "-" {
            (crc, count) = try await LocalFile.blocking { try self.sequential(descriptor: STDIN_FILENO) }
        } else {
            let fd = try await LocalFile.blocking { () throws -> Int32 in
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw Failure(errno: errno) }
                return fd
            }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw Failure(errno: errno) }
            if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure("Is a directory") }
            if (info.st_mode & S_IFMT) == S_IFREG {
                count = Int(length ?? (Int64(info.st_size) - offset))
                crc = try await ranged(descriptor: fd, offset: Int(offset), count: count)
            } else {
                (crc, count) = try await LocalFile.blocking { try self.sequential(descriptor: fd) }
            }
        }
        guard let previous else { return crc }
        return variant.combine(previous, crc, lengthOfB: count)
    }

    /// The whole contents of a small file (`-` for standard input), such as a checksum list.
    package static func readAll(path: String) async throws -> [UInt8] {
        try await LocalFile.blocking {
            let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure(errno: errno) }
            defer { if fd != STDIN_FILENO { close(fd) } }
            var bytes = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw Failure(errno: errno)
                }
                if got == 0 { return bytes }
                bytes.append(contentsOf: chunk[..<got])
            }
        }
    }

    private func ranged(descriptor fd: Int32, offset: Int, count: Int) async throws -> UInt64 {
        guard count >= parallelThreshold else {
            return try await LocalFile.blocking { try self.pieceChecksum(descriptor: fd, offset: offset, length: count) }
        }
        let pieces = max(2, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 16))
        let pieceSize = (count + pieces - 1) / pieces
        let crcs = try await withThrowingTaskGroup(of: (Int, UInt64).self) { group in
            for index in 0..<pieces {
                let start = index * pieceSize
                let length = min(pieceSize, count - start)
                group.addTask {
                    (index, try await LocalFile.blocking { try self.pieceChecksum(descriptor: fd, offset: offset + start, length: length) })
                }
            }
            var crcs = [UInt64](repeating: 0, count: pieces)
            for try await (index, crc) in group { crcs[index] = crc }
            return crcs
        }
        var whole: UInt64 = 0
        for (index, crc) in crcs.enumerated() {
            whole = variant.combine(whole, crc, lengthOfB: min(pieceSize, count - index * pieceSize))
        }
        return whole
    }

    /// `length` bytes from `offset`; a file shorter than that is an error.
    private func pieceChecksum(descriptor fd: Int32, offset: Int, length: Int) throws -> UInt64 {
        try hash(descriptor: fd, offset: offset, limit: length).crc
    }

    /// Everything up to the end of the stream, and how many bytes that was.
    private func sequential(descriptor fd: Int32) throws -> (crc: UInt64, count: Int) {
        try hash(descriptor: fd, offset: nil, limit: nil)
    }

    private func hash(descriptor fd: Int32, offset: Int?, limit: Int?) throws -> (crc: UInt64, count: Int) {
        var hasher = CRC64Hasher(variant, kernel: kernel)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        var position = offset ?? 0
        var remaining = limit ?? Int.max
        var count = 0
        while remaining > 0 {
            let want = min(remaining, bufferSize)
            let got = offset == nil ? read(fd, buffer.baseAddress, want) : pread(fd, buffer.baseAddress, want, off_t(position))
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            if got == 0 {
                if limit != nil { throw Failure("file shrank while being read") }
                break
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<got]))
            position += got
            remaining -= got
            count += got
        }
        return (hasher.checksum, count)
    }
}
