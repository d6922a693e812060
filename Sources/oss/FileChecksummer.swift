import CRC64

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Computes the CRC-64 of a file with bounded memory; large regular files are split across
/// the CPU's cores and the pieces' checksums combined.
struct FileChecksummer: Sendable {
    var variant: CRC64
    var kernel: CRC64Kernel
    /// Each reader holds one buffer of this size: memory is bounded by it, never by the file.
    var bufferSize = 1 << 20
    /// Files at least this large are read by several tasks at once.
    var parallelThreshold = 64 << 20

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(errno code: Int32) { description = String(cString: strerror(code)) }
        init(_ description: String) { self.description = description }
    }

    func checksum(path: String) async throws -> UInt64 {
        if path == "-" { return try checksum(descriptor: STDIN_FILENO, offset: nil, length: nil) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(errno: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure("Is a directory") }
        let size = Int(info.st_size)
        guard (info.st_mode & S_IFMT) == S_IFREG, size >= parallelThreshold else {
            return try checksum(descriptor: fd, offset: nil, length: nil)
        }
        return try await parallelChecksum(descriptor: fd, size: size)
    }

    private func parallelChecksum(descriptor fd: Int32, size: Int) async throws -> UInt64 {
        let pieces = max(2, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 16))
        let pieceSize = (size + pieces - 1) / pieces
        let crcs = try await withThrowingTaskGroup(of: (Int, UInt64).self) { group in
            for index in 0..<pieces {
                let start = index * pieceSize
                let length = min(pieceSize, size - start)
                group.addTask { (index, try checksum(descriptor: fd, offset: start, length: length)) }
            }
            var crcs = [UInt64](repeating: 0, count: pieces)
            for try await (index, crc) in group { crcs[index] = crc }
            return crcs
        }
        var whole: UInt64 = 0
        for (index, crc) in crcs.enumerated() {
            whole = variant.combine(whole, crc, lengthOfB: min(pieceSize, size - index * pieceSize))
        }
        return whole
    }

    /// Reads sequentially (`offset == nil`) to end of file, or `length` bytes from `offset`.
    private func checksum(descriptor fd: Int32, offset: Int?, length: Int?) throws -> UInt64 {
        var hasher = CRC64Hasher(variant, kernel: kernel)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        var position = offset ?? 0
        var remaining = length ?? Int.max
        while remaining > 0 {
            let want = min(remaining, bufferSize)
            let got = offset == nil ? read(fd, buffer.baseAddress, want) : pread(fd, buffer.baseAddress, want, off_t(position))
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            if got == 0 {
                if length != nil { throw Failure("file shrank while being read") }
                break
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<got]))
            position += got
            remaining -= got
        }
        return hasher.checksum
    }

    static func readAll(path: String) throws -> [UInt8] {
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
