import CRC64
import Foundation
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// Object tagging over real HTTP (§3.5): the `<Tagging>` document, `x-oss-tagging` on writes,
/// `x-oss-tagging-count` on reads, and OSS's limits.
@Suite struct TaggingOverHTTPTests {
    static let tagging = [OSSQueryItem(name: "tagging")]

    static func tags(_ response: LiveResponse) throws -> [String: String] {
        try OSSTagging(parsing: Data(response.bytes)).dictionary
    }

    @Test func putGetDeleteTagging() async throws {
        try await LiveServer.run { server in
            let body = Array("tagged".utf8)
            let put = try await server.put("t", body)
            #expect(try Self.tags(try await server.send(.get, key: "t", query: Self.tagging)).isEmpty)

            let document = OSSTagging(tags: [("team", "storage/io"), ("env", "dev"), ("note", "a b+c=d.e_f:g")])
            let stored = try await server.send(.put, key: "t", query: Self.tagging, body: Array(document.xml.utf8))
            #expect(stored.status == .ok)
            let got = try await server.send(.get, key: "t", query: Self.tagging)
            #expect(got.status == .ok)
            #expect(got.header("Content-Type") == "application/xml")
            #expect(try Self.tags(got) == document.dictionary)
            #expect(try OSSTagging(parsing: Data(got.bytes)).tags.map(\.key) == ["env", "note", "team"], "sorted by key")

            let head = try await server.send(.head, key: "t")
            #expect(head.header("x-oss-tagging-count") == "3")
            #expect(head.header("ETag") == put.header("ETag"), "tags change neither the ETag")
            let read = try await server.send(.get, key: "t")
            #expect(read.bytes == body)
            #expect(read.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            #expect(read.header("x-oss-tagging-count") == "3")

            #expect(try await server.send(.delete, key: "t", query: Self.tagging).status == .noContent)
            #expect(try Self.tags(try await server.send(.get, key: "t", query: Self.tagging)).isEmpty)
            #expect(try await server.send(.head, key: "t").header("x-oss-tagging-count") == nil)
            #expect(try await server.send(.get, key: "t").bytes == body, "deleting tags leaves the object")
        }
    }

    @Test func taggingLeavesLastModifiedAlone() async throws {
        try await LiveServer.run { server in
            #expect(try await server.put("lm", [1, 2, 3]).status == .ok)
            // Storage keeps milliseconds, so any change shows without waiting for the next second.
            let before = try await server.storage.objectInfo(bucket: "bkt", key: "lm")
            try await server.send(.put, key: "lm", query: Self.tagging, body: Array(OSSTagging(["a": "1"]).xml.utf8))
            try await server.send(.delete, key: "lm", query: Self.tagging)
            let after = try await server.storage.objectInfo(bucket: "bkt", key: "lm")
            #expect(after.lastModified == before.lastModified)
            #expect(after.etag == before.etag)
        }
    }

    @Test func taggingHeaderOnWrites() async throws {
        try await LiveServer.run { server in
            let put = try await server.put("h", [1], headers: [("x-oss-tagging", "k1=v1&a%20b=c%2Bd&empty=")])
            #expect(put.status == .ok)
            #expect(try Self.tags(try await server.send(.get, key: "h", query: Self.tagging)) == ["k1": "v1", "a b": "c+d", "empty": ""])

            let initiate = try await server.send(.post, key: "mp", query: [OSSQueryItem(name: "uploads")], headers: [("x-oss-tagging", "from=initiate")])
            let uploadID = try OSSInitiateMultipartUploadResult(parsing: Data(initiate.bytes)).uploadID
            try await server.send(.put, key: "mp", query: [OSSQueryItem(name: "partNumber", value: "1"), OSSQueryItem(name: "uploadId", value: uploadID)], body: [7])
            let complete = try await server.send(
                .post, key: "mp", query: [OSSQueryItem(name: "uploadId", value: uploadID)], headers: [("x-oss-complete-all", "yes")])
            #expect(complete.status == .ok)
            #expect(try Self.tags(try await server.send(.get, key: "mp", query: Self.tagging)) == ["from": "initiate"])
        }
    }

    @Test func limitsAndMalformedBodiesChangeNothing() async throws {
        try await LiveServer.run { server in
            #expect(try await server.put("l", [1], headers: [("x-oss-tagging", "keep=me")]).status == .ok)
            let eleven = OSSTagging(tags: (0...10).map { ("k\($0)", "v") })
            let refused: [(body: String, code: String)] = [
                (eleven.xml, "InvalidArgument"),
                (OSSTagging(tags: [(String(repeating: "k", count: 129), "v")]).xml, "InvalidArgument"),
                (OSSTagging(tags: [("k", String(repeating: "v", count: 257))]).xml, "InvalidArgument"),
                (OSSTagging(tags: [("semi;colon", "v")]).xml, "InvalidArgument"),
                (OSSTagging(tags: [("", "v")]).xml, "InvalidArgument"),
                ("<Tagging><TagSet><Tag><Key>a</Key></Tag><Tag><Key>a</Key></Tag></TagSet></Tagging>", "InvalidArgument"),
                ("<Tagging><TagSet><Tag>", "MalformedXML"),
                ("", "MalformedXML"),
                ("<Tags/>", "MalformedXML"),
            ]
            for (body, code) in refused {
                let response = try await server.send(.put, key: "l", query: Self.tagging, body: Array(body.utf8))
                #expect(response.status == .badRequest, "\(body.prefix(60))")
                #expect(response.errorCode == code, "\(body.prefix(60))")
            }
            let ten = OSSTagging(tags: (0..<10).map { ("k\($0)", "v") })
            let longest = OSSTagging(tags: [(String(repeating: "k", count: 128), String(repeating: "v", count: 256))])
            for accepted in [ten, longest] {
                #expect(try await server.send(.put, key: "l", query: Self.tagging, body: Array(accepted.xml.utf8)).status == .ok)
            }
            #expect(try Self.tags(try await server.send(.get, key: "l", query: Self.tagging)) == longest.dictionary)

            let badMD5 = try await server.send(
                .put, key: "l", query: Self.tagging, headers: [("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")], body: Array(ten.xml.utf8))
            #expect(badMD5.errorCode == "InvalidDigest")
            let overlong = try await server.put("never", [1], headers: [("x-oss-tagging", (0...10).map { "k\($0)=v" }.joined(separator: "&"))])
            #expect(overlong.errorCode == "InvalidArgument")
            #expect(try await server.send(.head, key: "never").status == .notFound, "a refused PutObject stores nothing")
            #expect(try await server.send(.get, key: "never", query: Self.tagging).errorCode == "NoSuchKey")
            #expect(try await server.send(.put, key: "never", query: Self.tagging, body: Array(ten.xml.utf8)).errorCode == "NoSuchKey")
        }
    }
}
