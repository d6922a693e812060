#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to a free loopback port, for tests that need a port nobody listens on
/// (close it first) or one that is taken (keep it listening).
struct LoopbackSocket {
    let descriptor: Int32
    let port: Int

    /// Binds a free port on 127.0.0.1, listening on it when `listening`.
    init(listening: Bool) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let descriptor = self.descriptor
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && (!listening || listen(descriptor, 1) == 0)
                    && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else {
            _ = Glibc.close(descriptor)
            throw CLIError("no free loopback port")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
