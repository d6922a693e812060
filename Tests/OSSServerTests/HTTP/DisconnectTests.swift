import Foundation
import OSSProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Clients that stop sending: the write is dropped whole, and the server keeps serving.
@Suite struct DisconnectTests {
    /// Sends a signed PUT whose body stops after `sent` of `declared` bytes, then closes.
    static func abandonedPut(port: Int, key: String, declared: Int, sent: Int) throws {
        var request = OSSRequest(
            method: "PUT", bucket: "bkt", key: key, headers: [(name: "Content-Length", value: String(declared))])
        OSSSignatureV1.sign(&request, credentials: LiveServer.credentials, date: Date())
        var head = "PUT /bkt/\(OSSPercentEncoding.encode(key)) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let bytes = Array(head.utf8) + [UInt8](repeating: 0x61, count: sent)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            try #require(written > 0)
            offset += written
        }
    }

    @Test func truncatedBodyLeavesNothingAndTheServerKeepsServing() async throws {
        try await LiveServer.run { server in
            let port = try #require(server.client.port)
            // An existing object must survive an abandoned overwrite untouched.
            try await server.put("kept", Array("original".utf8))
            for (key, declared, sent) in [("new", 100_000, 5_000), ("kept", 3 << 20, 1 << 20), ("empty-start", 10, 0)] {
                try Self.abandonedPut(port: port, key: key, declared: declared, sent: sent)
            }
            // The server notices the closed connections asynchronously; poll until the
            // temporary files are gone, with a generous bound.
            let temporary = server.dataDirectory.appendingPathComponent("tmp")
            for _ in 0..<100 {
                let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
                if leftovers.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).isEmpty)
            #expect(try await server.send(.get, key: "new").status == .notFound)
            #expect(try await server.send(.get, key: "empty-start").status == .notFound)
            let kept = try await server.send(.get, key: "kept")
            #expect(kept.bodyText == "original")
            #expect(try await server.put("after", Array("still serving".utf8)).status == .ok)
        }
    }
}
