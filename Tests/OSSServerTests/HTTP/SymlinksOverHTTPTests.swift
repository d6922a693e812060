import CRC64
import Foundation
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// PutSymlink, GetSymlink and reads through links over real HTTP (§3.5).
@Suite struct SymlinksOverHTTPTests {
    static let symlink = [OSSQueryItem(name: "symlink")]

    @Test func readsThroughALinkServeTheTargetWithItsCRC() async throws {
        try await LiveServer.run { server in
            let body = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 11) }
            let target = "dir/a b+c.txt"
            try await server.put(target, body, headers: [("Content-Type", "text/plain"), ("x-oss-meta-kind", "target")])
            // oss2 sends the target URL-encoded.
            let put = try await server.send(
                .put, key: "link", query: Self.symlink,
                headers: [("x-oss-symlink-target", OSSPercentEncoding.encode(target)), ("x-oss-meta-origin", "test")])
            #expect(put.status == .ok)

            let crc = String(CRC64.xz.checksum(body))
            let get = try await server.send(.get, key: "link")
            #expect(get.status == .ok)
            #expect(get.bytes == body)
            #expect(get.header("x-oss-hash-crc64ecma") == crc)
            #expect(get.header("Content-Type") == "text/plain")
            let head = try await server.send(.head, key: "link")
            #expect(head.header("Content-Length") == "3000")
            #expect(head.header("x-oss-hash-crc64ecma") == crc)
            // The bytes are the target's, the user metadata the link's own, as OSS reports it.
            for response in [get, head] {
                #expect(response.header("x-oss-meta-origin") == "test")
                #expect(response.header("x-oss-meta-kind") == nil)
            }
            #expect(try await server.send(.head, key: target).header("x-oss-meta-kind") == "target")
            let meta = try await server.send(.head, key: "link", query: [OSSQueryItem(name: "objectMeta")])
            #expect(meta.header("x-oss-hash-crc64ecma") == crc)
            #expect(meta.header("x-oss-last-access-time") == nil, "access tracking is off")
            let ranged = try await server.send(.get, key: "link", headers: [("Range", "bytes=100-199")])
            #expect(ranged.status == .partialContent)
            #expect(ranged.bytes == Array(body[100...199]))
            #expect(ranged.header("x-oss-hash-crc64ecma") == crc)

            let link = try await server.send(.get, key: "link", query: Self.symlink)
            #expect(link.status == .ok)
            #expect(link.header("x-oss-symlink-target").flatMap { try? OSSPercentEncoding.decode($0) } == target)
            #expect(link.header("x-oss-meta-origin") == "test")
            #expect(link.header("ETag") == put.header("ETag"))
            #expect(link.body.readableBytes == 0)
            let listing = try OSSListBucketResult(parsing: Data(try await server.send(.get, query: [OSSQueryItem(name: "prefix", value: "link")]).bytes))
            #expect(listing.contents.map(\.type.rawValue) == ["Symlink"])

            // v2 sends the target raw; retargeting changes what the link serves.
            try await server.put("other", Array("other".utf8))
            #expect(try await server.send(.put, key: "link", query: Self.symlink, headers: [("x-oss-symlink-target", "other")]).status == .ok)
            #expect(try await server.send(.get, key: "link").bodyText == "other")
            #expect(try await server.send(.get, key: "link", query: Self.symlink).header("x-oss-symlink-target") == "other")
        }
    }

    @Test func danglingLinksAndNonLinks() async throws {
        try await LiveServer.run { server in
            #expect(try await server.send(.put, key: "dangling", query: Self.symlink, headers: [("x-oss-symlink-target", "nowhere")]).status == .ok)
            let get = try await server.send(.get, key: "dangling")
            #expect(get.status == .notFound)
            #expect(get.errorCode == "SymlinkTargetNotExist")
            let head = try await server.send(.head, key: "dangling")
            #expect(head.status == .notFound)
            #expect(head.errorCode == "SymlinkTargetNotExist", "through x-oss-err")
            // The link itself is there.
            #expect(try await server.send(.get, key: "dangling", query: Self.symlink).header("x-oss-symlink-target") == "nowhere")
            // Creating the target brings the link to life.
            try await server.put("nowhere", Array("here".utf8))
            #expect(try await server.send(.get, key: "dangling").bodyText == "here")

            try await server.put("plain", [1])
            let notLink = try await server.send(.get, key: "plain", query: Self.symlink)
            #expect(notLink.status == .badRequest)
            #expect(notLink.errorCode == "NotSymlink")
            #expect(try await server.send(.get, key: "absent", query: Self.symlink).errorCode == "NoSuchKey")

            let noTarget = try await server.send(.put, key: "l2", query: Self.symlink)
            #expect(noTarget.errorCode == "InvalidArgument")
            for bad in ["a/../b", "%2Fabsolute", String(repeating: "k", count: 1024)] {
                let response = try await server.send(.put, key: "l2", query: Self.symlink, headers: [("x-oss-symlink-target", bad)])
                #expect(response.errorCode == "InvalidObjectName", "\(bad.prefix(20))")
            }
            #expect(try await server.send(.head, key: "l2").status == .notFound)

            // A link to a link is not followed a second time.
            try await server.send(.put, key: "second", query: Self.symlink, headers: [("x-oss-symlink-target", "dangling")])
            #expect(try await server.send(.get, key: "second").errorCode == "SymlinkTargetNotExist")
        }
    }

    @Test func forbidOverwriteAndAppend() async throws {
        try await LiveServer.run { server in
            try await server.put("taken", [1])
            let refused = try await server.send(
                .put, key: "taken", query: Self.symlink, headers: [("x-oss-symlink-target", "x"), ("x-oss-forbid-overwrite", "true")])
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "FileAlreadyExists")
            #expect(try await server.send(.get, key: "taken").bytes == [1])
            try await server.send(.put, key: "ln", query: Self.symlink, headers: [("x-oss-symlink-target", "taken")])
            let append = try await server.send(.post, key: "ln", query: [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "0")], body: [2])
            #expect(append.status == .conflict)
            #expect(append.errorCode == "ObjectNotAppendable")
        }
    }
}
