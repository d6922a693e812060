import CRC64
import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

/// `Expect: 100-continue` as libcurl (and so Alibaba's C SDK) speaks it: `100 Continue` once the
/// request is authenticated, routed and allowed and its body is wanted; a refusal, or an answer
/// that needs no body, comes at once and ends the connection.
@Suite struct ExpectContinueTests {
    @Test func aWantedBodyIsAskedForAndTheConnectionStaysUsable() async throws {
        try await LiveServer.run { server in
            let port = server.port
            let body = Array("hello".utf8)
            let head = server.rawHead(
                "PUT", target: "/bkt/expected", key: "expected",
                headers: [("Content-Length", "5"), ("Expect", "100-continue")])
            let next = server.rawHead("GET", target: "/bkt/expected", key: "expected")
            let (interim, final, reused) = try await onThread {
                let connection = try RawConnection(port: port)
                connection.setTimeout(10)
                connection.send(head)
                let interim = connection.readResponse(head: true)
                connection.send(body)
                let final = connection.readResponse()
                connection.send(next)
                return (interim, final, connection.readResponse())
            }
            #expect(interim?.status == 100)
            #expect(final?.status == 200)
            #expect(final?.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            #expect(final?.header("Connection") != "close")
            #expect(reused?.status == 200 && reused?.body == body)
        }
    }

    @Test func aRefusalComesAtOnceWithoutAskingForTheBody() async throws {
        try await LiveServer.run { server in
            let port = server.port
            // Anonymous, on a private bucket: refused before any body byte is wanted.
            let head = "PUT /bkt/refused HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n"
            let (answer, closed) = try await Self.answerToHeadAlone(head, port: port)
            #expect(answer?.status == 403 && answer?.errorCode == "AccessDenied")
            #expect(answer?.header("Connection") == "close")
            #expect(closed)
            #expect(try await server.send(.head, key: "refused").status == .notFound)
        }
    }

    /// Initiate, copy, symlink and object ACL never read a body: no `100 Continue`, and the
    /// connection ends so that a body the client might still send is not read as a request.
    @Test func anAnswerThatNeedsNoBodyEndsTheConnection() async throws {
        try await LiveServer.run { server in
            let port = server.port
            let head = server.rawHead(
                "POST", target: "/bkt/mp?uploads", key: "mp", query: [OSSQueryItem(name: "uploads")],
                headers: [("Content-Length", "10"), ("Expect", "100-continue")])
            let (answer, closed) = try await Self.answerToHeadAlone(head, port: port)
            #expect(answer?.status == 200)
            #expect(answer.map { String(decoding: $0.body, as: UTF8.self).contains("<UploadId>") } == true)
            #expect(answer?.header("Connection") == "close")
            #expect(closed)
        }
    }

    /// Sends a request head and no body, reads the answer, and tells whether the server then
    /// ended the connection.
    static func answerToHeadAlone(_ head: String, port: Int) async throws -> (RawResponse?, Bool) {
        try await onThread {
            let connection = try RawConnection(port: port)
            connection.setTimeout(10)
            connection.send(head)
            let answer = connection.readResponse()
            return (answer, connection.readsEndOfStream())
        }
    }
}
