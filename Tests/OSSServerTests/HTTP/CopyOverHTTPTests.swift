import CRC64
import Foundation
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// CopyObject over real HTTP (§3.5): directives, conditions, buckets, and the CRC header that
/// OSS may leave out but this server always sends (§6.1).
@Suite struct CopyOverHTTPTests {
    static func source(_ bucket: String, _ key: String, encodeSlash: Bool = true) -> (String, String) {
        ("x-oss-copy-source", "/\(bucket)/" + OSSPercentEncoding.encode(key, keepingSlash: !encodeSlash))
    }

    @Test func copyAcrossBucketsKeepsBytesAndCRC() async throws {
        try await LiveServer.run { server in
            let body = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 29) }
            let crc = String(CRC64.xz.checksum(body))
            let key = "src dir/a+b%c.bin"
            let put = try await server.put(key, body, headers: [("Content-Type", "application/x-test"), ("x-oss-meta-a", "1")])
            #expect(try await server.send(.put, bucket: "dest-bucket").status == .ok)

            // oss2 encodes the slash, v2 keeps it.
            for (destination, encodeSlash) in [("copy-1", true), ("copy-2", false)] {
                let copy = try await server.send(.put, bucket: "dest-bucket", key: destination, headers: [Self.source("bkt", key, encodeSlash: encodeSlash)])
                #expect(copy.status == .ok)
                #expect(copy.header("x-oss-hash-crc64ecma") == crc, "the CRC header, always")
                #expect(copy.header("ETag") == put.header("ETag"))
                let result = try OSSCopyResult(parsing: Data(copy.bytes), kind: .object)
                #expect(result.etag == put.header("ETag"))
                let got = try await server.send(.get, bucket: "dest-bucket", key: destination)
                #expect(got.bytes == body)
                #expect(got.header("x-oss-hash-crc64ecma") == crc)
                #expect(got.header("Content-Type") == "application/x-test", "COPY is the default directive")
                #expect(got.header("x-oss-meta-a") == "1")
                #expect(got.header("x-oss-object-type") == "Normal")
            }
            // The source is untouched, and deleting it leaves the copies whole.
            try await server.send(.delete, key: key)
            #expect(try await server.send(.get, bucket: "dest-bucket", key: "copy-1").bytes == body)
        }
    }

    @Test func replaceDirectivesAndSelfCopy() async throws {
        try await LiveServer.run { server in
            let body = Array("metadata".utf8)
            try await server.put("m", body, headers: [("Content-Type", "text/plain"), ("x-oss-meta-old", "1"), ("x-oss-tagging", "t=1")])
            let replaced = try await server.send(
                .put, key: "m2",
                headers: [
                    Self.source("bkt", "m"), ("x-oss-metadata-directive", "REPLACE"), ("Content-Type", "text/html"),
                    ("x-oss-meta-new", "2"), ("x-oss-tagging-directive", "Replace"), ("x-oss-tagging", "u=2"),
                    ("x-oss-object-acl", "public-read"),
                ])
            #expect(replaced.status == .ok)
            let head = try await server.send(.head, key: "m2")
            #expect(head.header("Content-Type") == "text/html")
            #expect(head.header("x-oss-meta-new") == "2")
            #expect(head.header("x-oss-meta-old") == nil)
            #expect(try OSSTagging(parsing: Data(try await server.send(.get, key: "m2", query: [OSSQueryItem(name: "tagging")]).bytes)).dictionary == ["u": "2"])
            #expect(try OSSAccessControlPolicy<OSSObjectACL>(parsing: Data(try await server.send(.get, key: "m2", query: [OSSQueryItem(name: "acl")]).bytes)).grant.rawValue == "public-read")
            #expect(try OSSTagging(parsing: Data(try await server.send(.get, key: "m", query: [OSSQueryItem(name: "tagging")]).bytes)).dictionary == ["t": "1"])

            // oss2's update_object_meta: a self-copy with REPLACE changes metadata, never bytes.
            let update = try await server.send(
                .put, key: "m", headers: [Self.source("bkt", "m"), ("x-oss-metadata-directive", "REPLACE"), ("x-oss-meta-fresh", "yes")])
            #expect(update.status == .ok)
            #expect(update.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            let after = try await server.send(.get, key: "m")
            #expect(after.bytes == body)
            #expect(after.header("x-oss-meta-fresh") == "yes")
            #expect(after.header("x-oss-meta-old") == nil)
            // No Content-Type sent: the source's stays, as on OSS.
            #expect(after.header("Content-Type") == "text/plain")

            let bad = try await server.send(.put, key: "m3", headers: [Self.source("bkt", "m"), ("x-oss-metadata-directive", "MOVE")])
            #expect(bad.errorCode == "InvalidArgument")
            #expect(try await server.send(.head, key: "m3").status == .notFound)
        }
    }

    @Test func copyConditions() async throws {
        try await LiveServer.run { server in
            let put = try await server.put("c", Array("conditional".utf8))
            let etag = try #require(put.header("ETag"))
            let past = OSSDateFormat.httpDate(Date().addingTimeInterval(-3600))
            let future = OSSDateFormat.httpDate(Date().addingTimeInterval(3600))
            let failing: [(String, String)] = [
                ("x-oss-copy-source-if-match", "\"00000000000000000000000000000000\""),
                ("x-oss-copy-source-if-none-match", etag),
                ("x-oss-copy-source-if-unmodified-since", past),
                ("x-oss-copy-source-if-modified-since", future),
            ]
            for condition in failing {
                let response = try await server.send(.put, key: "dst", headers: [Self.source("bkt", "c"), condition])
                // As OSS: 304 without a body for none-match and modified-since, 412 for the others.
                if condition.0.hasSuffix("none-match") || condition.0.hasSuffix("if-modified-since") {
                    #expect(response.status == .notModified, "\(condition.0)")
                    #expect(response.bytes.isEmpty)
                } else {
                    #expect(response.status == .preconditionFailed, "\(condition.0)")
                    #expect(response.errorCode == "PreconditionFailed")
                    #expect(response.bodyText.contains(condition.0))
                }
            }
            #expect(try await server.send(.head, key: "dst").status == .notFound, "a failed condition copies nothing")
            let passing: [(String, String)] = [
                ("x-oss-copy-source-if-match", etag.lowercased()),
                ("x-oss-copy-source-if-none-match", "\"00000000000000000000000000000000\""),
                ("x-oss-copy-source-if-unmodified-since", future),
                ("x-oss-copy-source-if-modified-since", past),
            ]
            for condition in passing {
                #expect(try await server.send(.put, key: "dst", headers: [Self.source("bkt", "c"), condition]).status == .ok, "\(condition.0)")
            }
        }
    }

    @Test func missingSourcesAndBadHeaders() async throws {
        try await LiveServer.run { server in
            try await server.put("exists", [1])
            let noKey = try await server.send(.put, key: "d", headers: [Self.source("bkt", "absent")])
            #expect(noKey.status == .notFound)
            #expect(noKey.errorCode == "NoSuchKey")
            let noBucket = try await server.send(.put, key: "d", headers: [Self.source("no-such-bucket", "exists")])
            #expect(noBucket.errorCode == "NoSuchBucket")
            for bad in ["", "/bkt", "nobucketslash", "/bkt/%zz", "/Bad_Bucket/k", "/bkt/a/../b", "/bkt/exists?versionId=123"] {
                let response = try await server.send(.put, key: "d", headers: [("x-oss-copy-source", bad)])
                #expect(response.status == .badRequest, "x-oss-copy-source '\(bad)'")
            }
            #expect(try await server.send(.put, key: "d", headers: [("x-oss-copy-source", "/bkt/exists?versionId=null")]).status == .ok)
            let forbidden = try await server.send(.put, key: "d", headers: [Self.source("bkt", "exists"), ("x-oss-forbid-overwrite", "true")])
            #expect(forbidden.status == .conflict)
            #expect(forbidden.errorCode == "FileAlreadyExists")
        }
    }

    @Test func appendableAndSymlinkSources() async throws {
        try await LiveServer.run { server in
            let body = Array("appended".utf8)
            try await server.send(.post, key: "ap", query: [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "0")], body: body)
            let copy = try await server.send(.put, key: "ap-copy", headers: [Self.source("bkt", "ap")])
            #expect(copy.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            let head = try await server.send(.head, key: "ap-copy")
            #expect(head.header("x-oss-object-type") == "Normal")
            // A copy of a link is the link (OSS copies links, not targets).
            try await server.send(.put, key: "ln", query: [OSSQueryItem(name: "symlink")], headers: [("x-oss-symlink-target", "ap")])
            try await server.send(.put, key: "ln-copy", headers: [Self.source("bkt", "ln")])
            #expect(try await server.send(.get, key: "ln-copy", query: [OSSQueryItem(name: "symlink")]).header("x-oss-symlink-target") == "ap")
            #expect(try await server.send(.get, key: "ln-copy").bytes == body)
        }
    }

    @Test func anonymousCopiesNeedToReadTheSource() async throws {
        try await LiveServer.run { server in
            try await server.send(.put, bucket: "open-bucket", headers: [("x-oss-acl", "public-read-write")])
            try await server.put("private-source", Array("owner only".utf8))
            let refused = try await server.send(
                .put, bucket: "open-bucket", key: "stolen", headers: [Self.source("bkt", "private-source")], signing: .anonymous)
            #expect(refused.errorCode == "AccessDenied")
            #expect(try await server.send(.head, bucket: "open-bucket", key: "stolen").status == .notFound)
            try await server.send(.put, bucket: "open-bucket", key: "u", body: Array("public".utf8))
            let allowed = try await server.send(
                .put, bucket: "open-bucket", key: "u2", headers: [Self.source("open-bucket", "u")], signing: .anonymous)
            #expect(allowed.status == .ok)
        }
    }
}
