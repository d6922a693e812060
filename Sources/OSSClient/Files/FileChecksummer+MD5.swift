import CRC64
import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileChecksummer {
    /// What `oss hash` reports of a local file: its CRC-64 and MD5 (as `Content-MD5` carries it,
    /// base64 of the 16 bytes), computed in one read on the blocking pool.
    package struct Digests: Sendable, Hashable {
        package var crc64: UInt64
        package var md5: [UInt8]
        package var size: Int64
    }

    /// The CRC-64 and MD5 of the file at `path` (`-` for standard input) in one pass.
    package func digests(path: String) async throws -> Digests {
        let (variant, kernel, bufferSize) = (variant, kernel, bufferSize)
        return try await LocalFile.blocking {
            let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure(errno: errno) }
            defer { if path != "-" { close(fd) } }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { throw Failure("Is a directory") }
            var crc = CRC64Hasher(variant, kernel: kernel)
            var md5 = Insecure.MD5()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
            defer { buffer.deallocate() }
            var size: Int64 = 0
            while true {
                let got = read(fd, buffer.baseAddress, bufferSize)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw Failure(errno: errno)
                }
                if got == 0 { break }
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<got])
                crc.update(bytes)
                md5.update(bufferPointer: bytes)
                size += Int64(got)
            }
            return Digests(crc64: crc.checksum, md5: Array(md5.finalize()), size: size)
        }
    }
}
