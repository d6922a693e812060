import CRC64
import Foundation
import HTTPTypes
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// A corpus of malformed requests fired at a live server (issue 5). Each must end in the
/// documented OSS error, or in a closed connection where HTTP framing itself is broken; none may
/// crash the server, store anything partial, or stop it from answering the next request.
@Suite struct BadInputTests {
    // MARK: Broken XML, for every operation that reads an XML body

    static let brokenXML: [(name: String, body: [UInt8])] = [
        ("empty", []),
        ("whitespace", Array("  \r\n\t ".utf8)),
        ("one bracket", Array("<".utf8)),
        ("truncated", Array("<?xml version=\"1.0\"?><Root><A>1</A>".utf8)),
        ("mismatched tags", Array("<Root><A></B></Root>".utf8)),
        ("two roots", Array("<Root/><Root/>".utf8)),
        ("text only", Array("just text".utf8)),
        ("JSON", Array("{\"Part\": 1}".utf8)),
        ("invalid UTF-8", [0x3C, 0x52, 0x3E, 0xFF, 0xFE, 0xC0, 0x3C, 0x2F, 0x52, 0x3E]),
        ("NUL bytes", Array("<Root>\u{0}</Root>".utf8)),
        ("billion laughs", Array("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Root>&c;</Root>".utf8)),
        ("external entity", Array("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Root>&x;</Root>".utf8)),
        ("deep nesting", Array(("<Root>" + String(repeating: "<a>", count: 5_000) + String(repeating: "</a>", count: 5_000) + "</Root>").utf8)),
        ("undefined entity", Array("<Root>&nope;</Root>".utf8)),
        ("unclosed CDATA", Array("<Root><![CDATA[abc</Root>".utf8)),
    ]

    /// Every XML-taking operation, and what a broken body must give. The root of each broken body
    /// is replaced by the operation's own root where one appears, so that only the breakage differs.
    static func xmlOperations(uploadID: String) -> [(name: String, method: HTTPRequest.Method, bucket: String, key: String?, query: [OSSQueryItem], root: String)] {
        [
            ("CompleteMultipartUpload", .post, "bkt", "mp", [OSSQueryItem(name: "uploadId", value: uploadID)], "CompleteMultipartUpload"),
            ("DeleteMultipleObjects", .post, "bkt", nil, [OSSQueryItem(name: "delete")], "Delete"),
            ("PutObjectTagging", .put, "bkt", "kept", [OSSQueryItem(name: "tagging")], "Tagging"),
            ("PutBucket", .put, "new-bucket", nil, [], "CreateBucketConfiguration"),
        ]
    }

    @Test func brokenXMLIsMalformedXMLEverywhere() async throws {
        try await LiveServer.run { server in
            try await server.put("kept", Array("kept".utf8), headers: [("x-oss-tagging", "a=1")])
            let initiate = try await server.send(.post, key: "mp", query: [OSSQueryItem(name: "uploads")])
            let uploadID = try OSSInitiateMultipartUploadResult(parsing: Data(initiate.bytes)).uploadID
            try await server.send(.put, key: "mp", query: [OSSQueryItem(name: "partNumber", value: "1"), OSSQueryItem(name: "uploadId", value: uploadID)], body: [1, 2, 3])

            for operation in Self.xmlOperations(uploadID: uploadID) {
                for (name, body) in Self.brokenXML {
                    let rooted = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "Root", with: operation.root).utf8)
                    let payload = name == "invalid UTF-8" ? body : rooted
                    let response = try await server.send(operation.method, bucket: operation.bucket, key: operation.key, query: operation.query, body: payload)
                    let what = "\(operation.name) with \(name)"
                    if operation.name == "PutBucket", name == "empty" {
                        // PutBucket's body is optional: an empty one creates the bucket.
                        #expect(response.status == .ok, "\(what)")
                        try await server.send(.delete, bucket: "new-bucket")
                        continue
                    }
                    #expect(response.status == .badRequest, "\(what): \(response.status)")
                    #expect(response.errorCode == "MalformedXML", "\(what): \(response.errorCode ?? "no code")")
                }
            }
            // Nothing moved: the upload is open, the tags and the object are as they were, no bucket appeared.
            #expect(try await server.send(.get, key: "mp", query: [OSSQueryItem(name: "uploadId", value: uploadID)]).status == .ok)
            #expect(try OSSTagging(parsing: Data(try await server.send(.get, key: "kept", query: [OSSQueryItem(name: "tagging")]).bytes)).dictionary == ["a": "1"])
            #expect(try await server.send(.get, key: "kept").bodyText == "kept")
            #expect(try await server.send(.get, bucket: "new-bucket", query: [OSSQueryItem(name: "acl")]).errorCode == "NoSuchBucket")
            #expect(try await server.stillServes())
        }
    }

    @Test func oversizedXMLBodiesAreRefusedBeforeParsing() async throws {
        try await LiveServer.run { server in
            try await server.put("kept", [1])
            // Refused maybe while their bodies still come, when the answer ends the connection: one each.
            let huge = Array("<Tagging><TagSet>".utf8) + [UInt8](repeating: 0x20, count: 200 << 10) + Array("</TagSet></Tagging>".utf8)
            let tagging = try await server.raw(
                Array(server.rawHead(
                    "PUT", target: "/bkt/kept?tagging", key: "kept", query: [OSSQueryItem(name: "tagging")],
                    headers: [("Content-Length", String(huge.count))]).utf8) + huge)
            #expect(tagging?.status == 400)
            #expect(tagging?.errorCode == "InvalidArgument")
            let deleteBody = [UInt8](repeating: 0x3C, count: 3 << 20)
            let delete = try await server.raw(
                Array(server.rawHead(
                    "POST", target: "/bkt/?delete", key: nil, query: [OSSQueryItem(name: "delete")],
                    headers: [("Content-Length", String(deleteBody.count))]).utf8) + deleteBody)
            #expect(delete?.status == 400)
            #expect(try await server.send(.get, key: "kept").bytes == [1])
            #expect(try await server.stillServes())
        }
    }

    // MARK: Header injection

    @Test func controlCharactersInHeadersNeverReachAResponse() async throws {
        try await LiveServer.run { server in
            // At the HTTP level: obs-fold, a bare CR, a bare LF inside a value, a NUL.
            let injected = [
                "x-oss-meta-a: first\r\n second",
                "x-oss-meta-a: a\rInjected: yes",
                "x-oss-meta-a: a\u{0}b",
                "x-oss-meta-a : spaced-name",
            ]
            for line in injected {
                let head = server.rawHead("PUT", target: "/bkt/injected", key: "injected", headers: [("Content-Length", "1")], raw: [line])
                let response = try #require(try await server.raw(Array(head.utf8) + [0x41]), "\(line.debugDescription): no answer")
                #expect(response.status == 400, "\(line.debugDescription): \(response.status)")
            }
            #expect(try await server.send(.head, key: "injected").status == .notFound, "no request stored anything")

            // Values the server reflects into headers: overrides and symlink targets with encoded CR/LF.
            try await server.put("reflect", Array("r".utf8))
            let override = try await server.raw(Array(server.rawHead(
                "GET", target: "/bkt/reflect?response-content-disposition=a%0D%0AInjected%3A%20yes%0D%0A", key: "reflect",
                query: [OSSQueryItem(name: "response-content-disposition", value: "a\r\nInjected: yes\r\n")]).utf8))
            #expect(override?.status == 400)
            #expect(override?.errorCode == "InvalidArgument")
            #expect(override?.header("Injected") == nil)
            let link = try await server.send(.put, key: "link", query: [OSSQueryItem(name: "symlink")], headers: [("x-oss-symlink-target", "t%0D%0AInjected:%20yes")])
            #expect(link.status == .ok)
            let target = try await server.send(.get, key: "link", query: [OSSQueryItem(name: "symlink")])
            #expect(target.header("Injected") == nil)
            #expect(target.header("x-oss-symlink-target") == "t%0D%0AInjected%3A%20yes")

            // PostObject fields become headers of the stored object: control characters are refused.
            var form = BrowserForm(fields: [("key", "form-injected"), ("x-oss-meta-a", "v\r\nInjected: yes")])
            form.file = ("f", "text/plain", [1])
            form.signV1(policy: BrowserForm.policy(conditions: []), credentials: LiveServer.credentials)
            let posted = try await server.post(form)
            #expect(posted.errorCode == "InvalidArgument")
            #expect(try await server.send(.head, key: "form-injected").status == .notFound)
            #expect(try await server.stillServes())
        }
    }

    // MARK: Ranges

    @Test func absurdRangesServeTheWholeObjectOr416() async throws {
        try await LiveServer.run { server in
            let body = (0..<100).map { UInt8($0) }
            try await server.put("r", body)
            let ignored = [
                "bytes=99999999999999999999999-", "bytes=-99999999999999999999999", "bytes=5-3", "bytes=abc", "bytes=-0",
                "bytes=--5", "bytes=5--6", "bytes=", "bytes=-", "bits=0-1", "bytes=100-", "bytes=0x10-0x20",
                "bytes=9223372036854775807-9223372036854775807", "bytes=-9223372036854775808",
            ]
            for range in ignored {
                let response = try await server.send(.get, key: "r", headers: [("Range", range)])
                #expect(response.status == .ok, "Range: \(range.prefix(40))")
                #expect(response.bytes == body, "Range: \(range.prefix(40))")
                #expect(response.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            }
            for range in ["bytes=100-", "bytes=1000-2000", "bytes=99999999999999999999-"] {
                let response = try await server.send(.get, key: "r", headers: [("Range", range), ("x-oss-range-behavior", "standard")])
                #expect([200, 416].contains(response.status.code), "standard Range: \(range)")
                if response.status.code == 416 {
                    #expect(response.errorCode == "InvalidRange")
                    #expect(response.header("Content-Range") == "bytes */100")
                } else {
                    #expect(response.bytes == body)
                }
            }
            // Several ranges: the first is served (§3.6), however many follow.
            for range in ["bytes=0-0,5-6", "bytes=0-0," + String(repeating: "1-2,", count: 2000), "bytes=0-0,bytes=5-6"] {
                let first = try await server.send(.get, key: "r", headers: [("Range", range)])
                #expect(first.status == .partialContent, "Range: \(range.prefix(30))")
                #expect(first.bytes == [0])
                #expect(first.header("Content-Range") == "bytes 0-0/100")
            }
            #expect(try await server.stillServes())
        }
    }

    // MARK: Lengths and numbers

    /// OSS refuses `max-keys` above 1,000 instead of answering a shorter page; the upload and part
    /// listings keep clamping theirs.
    @Test func maxKeysAboveAThousandIsInvalidArgument() async throws {
        try await LiveServer.run { server in
            let tooMany = OSSQueryItem(name: "max-keys", value: "1001")
            for (bucket, query) in [
                ("bkt", [tooMany]), ("bkt", [OSSQueryItem(name: "list-type", value: "2"), tooMany]),
                ("bkt", [OSSQueryItem(name: "versions"), tooMany]), (nil, [tooMany]),
            ] as [(String?, [OSSQueryItem])] {
                let response = try await server.send(.get, bucket: bucket, query: query)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorCode == "InvalidArgument", "\(query)")
                #expect(response.bodyText.contains("<ArgumentName>max-keys</ArgumentName>"), "\(response.bodyText)")
            }
            #expect(try await server.send(.get, query: [OSSQueryItem(name: "max-keys", value: "1000")]).status == .ok)
            let uploads = try await server.send(
                .get, query: [OSSQueryItem(name: "uploads"), OSSQueryItem(name: "max-uploads", value: "5000")])
            #expect(uploads.status == .ok && uploads.bodyText.contains("<MaxUploads>1000</MaxUploads>"))
        }
    }

    @Test func negativeAndOverflowingNumbersAreRefused() async throws {
        try await LiveServer.run { server in
            try await server.send(.post, key: "ap", query: [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "0")], body: [1])
            let queries: [(HTTPRequest.Method, String?, [OSSQueryItem], String)] = [
                (.get, nil, [OSSQueryItem(name: "max-keys", value: "-1")], "InvalidArgument"),
                (.get, nil, [OSSQueryItem(name: "max-keys", value: "99999999999999999999")], "InvalidArgument"),
                (.get, nil, [OSSQueryItem(name: "max-keys", value: "1e3")], "InvalidArgument"),
                (.post, "ap", [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "-1")], "InvalidArgument"),
                (.post, "ap", [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "18446744073709551616")], "InvalidArgument"),
                (.post, "ap", [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "9223372036854775807")], "PositionNotEqualToLength"),
                (.put, "p", [OSSQueryItem(name: "partNumber", value: "-1"), OSSQueryItem(name: "uploadId", value: "u")], "InvalidArgument"),
                (.put, "p", [OSSQueryItem(name: "partNumber", value: "99999999999999999999"), OSSQueryItem(name: "uploadId", value: "u")], "InvalidArgument"),
            ]
            for (method, key, query, code) in queries {
                let response = try await server.send(method, key: key, query: query, body: method == .get ? nil : [1])
                #expect(response.errorCode == code, "\(method) \(query.map { "\($0.name)=\($0.value)" })")
            }
            for crc in ["-1", "18446744073709551616", "0x10", " "] {
                #expect(try await server.put("c", [1], headers: [("x-oss-hash-crc64ecma", crc)]).errorCode == "InvalidArgument", "crc \(crc)")
            }
            // 6 GiB declared: refused before a byte is read.
            let big = try await server.raw(Array(server.rawHead("PUT", target: "/bkt/big", key: "big", headers: [("Content-Length", String(6 << 30))]).utf8))
            #expect(big?.errorCode == "EntityTooLarge")
            // Lengths HTTP itself cannot parse: the connection is refused or closed.
            for length in ["-1", "abc", "99999999999999999999999999", "1, 2"] {
                let head = server.rawHead("PUT", target: "/bkt/len", key: "len", raw: ["Content-Length: \(length)"])
                let response = try #require(try await server.raw(Array(head.utf8) + [1, 2]), "Content-Length: \(length): no answer")
                #expect(response.status == 400, "Content-Length: \(length)")
            }
            // A length with chunked alone is taken as chunked (ChunkedWithLengthTests); with another
            // coding it stays refused.
            let smuggled = server.rawHead(
                "PUT", target: "/bkt/len", key: "len", raw: ["Content-Length: 3", "Transfer-Encoding: gzip, chunked"])
            let smuggledAnswer = try #require(try await server.raw(Array(smuggled.utf8) + Array("1\r\nA\r\n0\r\n\r\n".utf8)))
            #expect(smuggledAnswer.status == 400, "Content-Length with gzip, chunked")
            let twice = server.rawHead("PUT", target: "/bkt/len", key: "len", raw: ["Content-Length: 1", "Content-Length: 2"])
            let twiceAnswer = try #require(try await server.raw(Array(twice.utf8) + [1, 2]))
            #expect(twiceAnswer.status == 400, "two Content-Lengths")
            for key in ["big", "len"] {
                #expect(try await server.send(.head, key: key).status == .notFound, "\(key) stored")
            }
            #expect(try await server.send(.get, key: "ap").bytes == [1])
            #expect(try await server.stillServes())
        }
    }

    // MARK: Names

    @Test func badKeysAreInvalidObjectName() async throws {
        try await LiveServer.run { server in
            let longest = String(repeating: "k", count: 1023)
            #expect(try await server.put(longest, [1]).status == .ok, "1023 bytes is the limit, not over it")
            let refused: [(target: String, key: String?)] = [
                ("/bkt/a/../b", "a/../b"),
                ("/bkt/..", ".."),
                ("/bkt/%2E%2E/x", "../x"),
                ("/bkt/a%2F..%2Fb", "a/../b"),
                ("/bkt/nul%00byte", "nul\u{0}byte"),
                ("/bkt/%00", "\u{0}"),
                ("/bkt/%FF%FE", nil),
                ("/bkt/%C0%AF", nil),
                ("/bkt/%E4%B8", nil),
                ("/bkt/%zz", nil),
                ("/bkt/" + String(repeating: "k", count: 1024), String(repeating: "k", count: 1024)),
                ("/bkt/" + String(repeating: "%E4%B8%AD", count: 342), String(repeating: "中", count: 342)),
                ("/bkt/%5Cbackslash", "\\backslash"),
                ("/bkt//leading", "/leading"),
            ]
            for (target, key) in refused {
                let head = server.rawHead("PUT", target: target, key: key ?? "x", headers: [("Content-Length", "1")])
                let response = try await server.raw(Array(head.utf8) + [0x41])
                #expect(response?.status == 400, "\(target.prefix(40))")
                #expect(response?.errorCode == "InvalidObjectName", "\(target.prefix(40)): \(response?.errorCode ?? "closed")")
            }
            // Raw bytes that are not UTF-8 in the request line itself.
            let rawBytes = Array("PUT /bkt/".utf8) + [0xFF, 0xFE] + Array(" HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA".utf8)
            let rawAnswer = try #require(try await server.raw(rawBytes), "raw non-UTF-8 target: no answer")
            #expect(rawAnswer.status == 400, "raw non-UTF-8 target")
            // The same names where a key arrives in a header or a form.
            for bad in ["/bkt/a/../b", "/bkt/%00", "/bkt/%FF"] {
                #expect(try await server.send(.put, key: "copy", headers: [("x-oss-copy-source", bad)]).status == .badRequest, "copy source \(bad)")
            }
            #expect(try await server.send(.head, key: "copy").status == .notFound)
            let listing = try OSSListBucketResult(parsing: Data(try await server.send(.get).bytes))
            #expect(listing.contents.map(\.key) == [longest], "only the 1023-byte key exists")
            #expect(try await server.stillServes())
        }
    }

    // MARK: Metadata floods

    @Test("requests HTTP parsing refuses get an OSS error body", arguments: ["fields", "size", "syntax"])
    func parserRefusals(kind: String) async throws {
        try await LiveServer.run { server in
            let request: String
            switch kind {
            case "fields":
                // 1001 small fields: more than the 1000 HTTP decoding takes, well under 80 KiB.
                request = server.rawHead("GET", target: "/bkt/k", key: "k", raw: (0..<1001).map { "x-f\($0): v" })
            case "size":
                request = server.rawHead("GET", target: "/bkt/k", key: "k", raw: ["x-big: " + String(repeating: "v", count: 90_000)])
            default:
                request = "GET /bkt/k HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header line\r\n\r\n"
            }
            let response = try await server.raw(Array(request.utf8))
            #expect(response?.status == 400)
            #expect(response?.errorCode == "InvalidRequest", "\(String(decoding: response?.body ?? [], as: UTF8.self))")
            #expect(response?.header("x-oss-request-id")?.count == 24)
            #expect(try await server.stillServes())
        }
    }

    @Test func tenThousandMetadataHeaders() async throws {
        try await LiveServer.run { server in
            // More header fields than HTTP decoding takes: refused before any handler runs.
            let lines = (0..<10_000).map { "x-oss-meta-k\($0): v" }
            let head = server.rawHead("PUT", target: "/bkt/flood", key: "flood", headers: [("Content-Length", "1")], raw: lines)
            let response = try #require(try await server.raw(Array(head.utf8) + [0x41]), "the flood got no answer")
            #expect(response.status == 400, "\(response.status)")
            #expect(response.errorCode == "InvalidRequest", "an OSS error body, not HTTP's bare 400")
            // Signed, and within what HTTP takes: the 8 KB metadata limit answers.
            let metadata = (0..<3).map { ("x-oss-meta-k\($0)", String(repeating: "v", count: 3000)) }
            let signed = try await server.put("flood", [1], headers: metadata)
            #expect(signed.status == .badRequest)
            #expect(signed.errorCode == "InvalidArgument")
            let many = (0..<900).map { ("x-oss-meta-k\($0)", "value-") }
            let manySigned = try await server.put("flood", [1], headers: many)
            #expect(manySigned.errorCode == "InvalidArgument", "900 small fields pass HTTP but not the 8 KB limit")
            #expect(try await server.send(.head, key: "flood").status == .notFound)
            #expect(try await server.stillServes())
        }
    }
}
