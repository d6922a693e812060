import CRC64
import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

/// `Transfer-Encoding: chunked` together with `Content-Length`, as libcurl-based clients (Alibaba's
/// C SDK) send every PUT and POST: the chunked coding frames the body, the length is ignored, and
/// the connection ends after the answer (RFC 9112 §6.3). Nothing looser: two lengths, or a length
/// with another coding, stay refused.
@Suite struct ChunkedWithLengthTests {
    static func chunked(_ body: [UInt8], pieces: Int = 3) -> [UInt8] {
        var wire: [UInt8] = []
        let size = max(1, (body.count + pieces - 1) / pieces)
        var index = 0
        while index < body.count {
            let end = min(index + size, body.count)
            wire += Array(String(end - index, radix: 16).utf8) + [13, 10] + body[index..<end] + [13, 10]
            index = end
        }
        return wire + Array("0\r\n\r\n".utf8)
    }

    @Test func chunkedWinsOverTheLengthAndTheConnectionEnds() async throws {
        try await LiveServer.run { server in
            let port = server.port
            let body = Array((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            // The length the C SDK declares is the body's; any length is ignored, so use a wrong one.
            let head = server.rawHead(
                "PUT", target: "/bkt/both", key: "both",
                headers: [("Content-Length", "12"), ("Transfer-Encoding", "chunked")])
            // A GET before it on the same connection, a GET pipelined after it.
            let before = server.rawHead("GET", target: "/bkt/", key: nil)
            let after = server.rawHead("GET", target: "/bkt/both", key: "both")
            let (first, answer, closed) = try await onThread {
                let connection = try RawConnection(port: port)
                connection.setTimeout(10)
                connection.send(before)
                let first = connection.readResponse()
                connection.send(Array(head.utf8) + Self.chunked(body) + Array(after.utf8))
                let answer = connection.readResponse()
                return (first, answer, connection.isClosedByServer())
            }
            #expect(first?.status == 200)
            #expect(answer?.status == 200)
            #expect(answer?.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            #expect(answer?.header("Connection") == "close")
            #expect(closed)
            let stored = try await server.send(.get, key: "both")
            #expect(stored.bytes == body)
        }
    }

    @Test func aLengthBodyBeforeKeepsTheFramingOfTheConnection() async throws {
        try await LiveServer.run { server in
            let port = server.port
            // A body that looks like a head: the framing must skip it, not read it as one.
            let decoy = Array("PUT /bkt/x HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            let plain = server.rawHead("PUT", target: "/bkt/plain", key: "plain", headers: [("Content-Length", String(decoy.count))])
            let both = server.rawHead(
                "POST", target: "/bkt/log?append&position=0", key: "log",
                query: [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "0")],
                headers: [("Content-Length", "3"), ("Transfer-Encoding", "chunked")])
            let (stored, appended) = try await onThread {
                let connection = try RawConnection(port: port)
                connection.setTimeout(10)
                connection.send(Array(plain.utf8) + decoy)
                let stored = connection.readResponse()
                connection.send(Array(both.utf8) + Self.chunked([1, 2, 3], pieces: 2))
                return (stored, connection.readResponse())
            }
            #expect(stored?.status == 200 && appended?.status == 200)
            #expect(try await server.send(.get, key: "plain").bytes == decoy)
            #expect(try await server.send(.get, key: "log").bytes == [1, 2, 3])
        }
    }

    @Test(arguments: [
        ["Content-Length: 5", "Content-Length: 6", "Transfer-Encoding: chunked"],
        ["Content-Length: 5", "Transfer-Encoding: gzip, chunked"],
        ["Content-Length: 5", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"],
        ["Content-Length: +5", "Transfer-Encoding: chunked"],
    ])
    func anythingLooserStaysRefused(lines: [String]) async throws {
        try await LiveServer.run { server in
            let head = server.rawHead("PUT", target: "/bkt/loose", key: "loose", raw: lines)
            let answer = try await server.raw(Array(head.utf8) + Self.chunked(Array("hello".utf8)))
            #expect(answer?.status == 400, "\(lines)")
            #expect(try await server.send(.head, key: "loose").status == .notFound)
        }
    }
}
