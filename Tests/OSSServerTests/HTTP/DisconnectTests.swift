import Foundation
import OSSProtocol
import Testing

/// Clients that stop sending: the write is dropped whole, and the server keeps serving.
@Suite struct DisconnectTests {
    @Test func truncatedBodyLeavesNothingAndTheServerKeepsServing() async throws {
        try await LiveServer.run { server in
            // An existing object must survive an abandoned overwrite untouched.
            try await server.put("kept", Array("original".utf8))
            for (key, declared, sent) in [("new", 100_000, 5_000), ("kept", 3 << 20, 1 << 20), ("empty-start", 10, 0)] {
                let head = server.rawHead(
                    "PUT", target: "/bkt/\(OSSPercentEncoding.encode(key))", key: key,
                    headers: [("Content-Length", String(declared))])
                try await server.sendAndClose(head, [UInt8](repeating: 0x61, count: sent))
            }
            #expect(try await server.temporaryFilesDrained())
            #expect(try await server.send(.get, key: "new").status == .notFound)
            #expect(try await server.send(.get, key: "empty-start").status == .notFound)
            let kept = try await server.send(.get, key: "kept")
            #expect(kept.bodyText == "original")
            #expect(try await server.put("after", Array("still serving".utf8)).status == .ok)
        }
    }
}
