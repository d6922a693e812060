import NIOCore
import NIOPosix
import OSSProtocol

/// Why the server cannot listen where it was asked to, in one line with the fix.
public struct ListenAddressError: Error, CustomStringConvertible, Equatable {
    public let description: String

    /// The error for `host:port` from what binding it threw, `nil` when it is no bind failure.
    static func from(_ error: any Error, host: String, port: Int) -> ListenAddressError? {
        let address = HostNotation.address(host, port: port)
        guard let error = error as? IOError else {
            if error is SocketAddressError {
                return ListenAddressError(description: "cannot listen on \(address): the host does not resolve to an address of this machine; use --address with an IP address, e.g. 127.0.0.1:9000 or 0.0.0.0:9000")
            }
            return nil
        }
        switch error.errnoCode {
        case EADDRINUSE:
            return ListenAddressError(description: "cannot listen on \(address): the address is in use (another server?); choose another with --address, e.g. --address \(HostNotation.address(host, port: 0)) for a free port")
        case EACCES:
            return ListenAddressError(description: "cannot listen on \(address): permission denied (ports below 1024 need privileges); use a port above 1023 with --address")
        case EADDRNOTAVAIL:
            return ListenAddressError(description: "cannot listen on \(address): no interface of this machine has that address; use --address 127.0.0.1:PORT or 0.0.0.0:PORT")
        default:
            return nil
        }
    }

    /// Binds `host:port` as the server will and lets it go at once, so that a command can
    /// refuse an address already taken before it creates anything. Port 0 always binds.
    public static func check(host: String, port: Int) async throws(ListenAddressError) {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try? await channel.close()
        } catch {
            throw from(error, host: host, port: port)
                ?? ListenAddressError(description: "cannot listen on \(host):\(port): \(error)")
        }
    }
}
