import CRC64
import Foundation
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// AppendObject over real HTTP (§3.5, §4.3, §6.4).
@Suite struct AppendOverHTTPTests {
    /// `?append&position=N`, as oss2 writes it (v2's `?append=&position=N` is in RoutingTests).
    static func append(at position: Int) -> [OSSQueryItem] {
        [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: String(position))]
    }

    @Test func appendsReturnTheWholeObjectCRCAndTheNextPosition() async throws {
        try await LiveServer.run { server in
            let first = Array("line1\n".utf8)
            let second = Array("line2\n".utf8)
            let one = try await server.send(
                .post, key: "log", query: Self.append(at: 0),
                headers: [("Content-Type", "text/plain"), ("x-oss-meta-source", "unit-test")], body: first)
            #expect(one.status == .ok)
            #expect(one.header("x-oss-next-append-position") == "6")
            #expect(one.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(first)))
            #expect(one.header("ETag") != nil)

            let two = try await server.send(.post, key: "log", query: Self.append(at: 6), headers: [("Content-Type", "image/png")], body: second)
            #expect(two.status == .ok)
            #expect(two.header("x-oss-next-append-position") == "12")
            #expect(two.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(first + second)))
            #expect(two.header("ETag") != one.header("ETag"))

            let get = try await server.send(.get, key: "log")
            #expect(get.bytes == first + second)
            #expect(get.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(first + second)))
            #expect(get.header("x-oss-object-type") == "Appendable")
            #expect(get.header("x-oss-next-append-position") == "12")
            // Creation headers apply on the first append only.
            #expect(get.header("Content-Type") == "text/plain")
            #expect(get.header("x-oss-meta-source") == "unit-test")
        }
    }

    @Test func wrongPositionsAndTypesAreConflicts() async throws {
        try await LiveServer.run { server in
            let body = Array("0123456789".utf8)
            try await server.send(.post, key: "a", query: Self.append(at: 0), body: body)
            for position in [0, 5, 11, 1 << 40] {
                let wrong = try await server.send(.post, key: "a", query: Self.append(at: position), body: [1])
                #expect(wrong.status == .conflict, "position \(position)")
                #expect(wrong.errorCode == "PositionNotEqualToLength")
                #expect(wrong.header("x-oss-next-append-position") == "10")
                #expect(wrong.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)), "better than OSS: the current CRC")
            }
            #expect(try await server.send(.get, key: "a").bytes == body, "refused appends change nothing")
            let missing = try await server.send(.post, key: "new", query: Self.append(at: 3), body: [1])
            #expect(missing.errorCode == "PositionNotEqualToLength")
            #expect(missing.header("x-oss-next-append-position") == "0")
            #expect(try await server.send(.head, key: "new").status == .notFound)

            try await server.put("normal", [1, 2])
            let normal = try await server.send(.post, key: "normal", query: Self.append(at: 2), body: [3])
            #expect(normal.status == .conflict)
            #expect(normal.errorCode == "ObjectNotAppendable")
            #expect(try await server.send(.get, key: "normal").bytes == [1, 2])

            for bad in ["", "-1", "abc", "1.5", "99999999999999999999999"] {
                let response = try await server.send(
                    .post, key: "a", query: [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: bad)], body: [1])
                #expect(response.status == .badRequest, "position '\(bad)'")
                #expect(response.errorCode == "InvalidArgument")
            }
            let noPosition = try await server.send(.post, key: "a", query: [OSSQueryItem(name: "append")], body: [1])
            #expect(noPosition.errorCode == "InvalidArgument")
            #expect(try await server.send(.get, key: "a").bytes == body)
        }
    }

    @Test func checkedAppendsStoreNothingOnMismatch() async throws {
        try await LiveServer.run { server in
            let first = Array("abc".utf8)
            let second = Array("def".utf8)
            try await server.send(.post, key: "c", query: Self.append(at: 0), body: first)
            // x-oss-hash-crc64ecma on an append is the CRC the whole object must have afterwards.
            let wrong = try await server.send(
                .post, key: "c", query: Self.append(at: 3), headers: [("x-oss-hash-crc64ecma", String(CRC64.xz.checksum(second)))],
                body: second)
            #expect(wrong.status == .badRequest)
            #expect(wrong.errorCode == "InvalidDigest")
            let badMD5 = try await server.send(
                .post, key: "c", query: Self.append(at: 3), headers: [("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")], body: second)
            #expect(badMD5.errorCode == "InvalidDigest")
            #expect(try await server.send(.get, key: "c").bytes == first)
            let right = try await server.send(
                .post, key: "c", query: Self.append(at: 3),
                headers: [("x-oss-hash-crc64ecma", String(CRC64.xz.checksum(first + second)))], body: second)
            #expect(right.status == .ok)
            #expect(try await server.send(.get, key: "c").bytes == first + second)
        }
    }

    @Test func emptyAppendsCreateAndKeep() async throws {
        try await LiveServer.run { server in
            let created = try await server.send(.post, key: "e", query: Self.append(at: 0), body: [])
            #expect(created.status == .ok)
            #expect(created.header("x-oss-next-append-position") == "0")
            #expect(created.header("x-oss-hash-crc64ecma") == "0")
            #expect(try await server.send(.head, key: "e").header("x-oss-object-type") == "Appendable")
            #expect(try await server.send(.post, key: "e", query: Self.append(at: 0), body: []).status == .ok, "P = 0 on an empty appendable object")
            let grown = try await server.send(.post, key: "e", query: Self.append(at: 0), body: Array("x".utf8))
            #expect(grown.header("x-oss-next-append-position") == "1")
            #expect(grown.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(Array("x".utf8))))
        }
    }
}
