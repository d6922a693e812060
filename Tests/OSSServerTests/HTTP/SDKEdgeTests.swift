import Foundation
import HTTPTypes
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// The corners SDK code reaches (issue 5): empty version and live-channel listings, errors that
/// carry every element the SDKs parse (also on HEAD, through `x-oss-err`), and bucket churn.
@Suite struct SDKEdgeTests {
    @Test func versionsAreTheObjectsAndLiveChannelsAreEmpty() async throws {
        try await LiveServer.run { server in
            try await server.put("a b/c", [1])
            let versions = try await server.send(
                .get,
                query: [
                    OSSQueryItem(name: "versions"), OSSQueryItem(name: "prefix", value: "a b/"),
                    OSSQueryItem(name: "encoding-type", value: "url"), OSSQueryItem(name: "max-keys", value: "50"),
                ])
            #expect(versions.status == .ok)
            #expect(versions.header("Content-Type") == "application/xml")
            let parsed = try OSSListVersionsResult(parsing: Data(versions.bytes))
            #expect(parsed.versions.map(\.key) == ["a b/c"])
            #expect(parsed.versions.first?.size == 1)
            #expect(parsed.prefix == "a b/" && parsed.maxKeys == 50 && !parsed.isTruncated)
            // Every object is its one version: VersionId null, latest.
            #expect(versions.bodyText.contains("<Key>a%20b%2Fc</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>"))

            for bucket in ["bkt", nil] as [String?] {
                let live = try await server.send(.get, bucket: bucket, query: [OSSQueryItem(name: "live")])
                #expect(live.status == .ok)
                #expect(try OSSListLiveChannelResult(parsing: Data(live.bytes)) == OSSListLiveChannelResult())
            }
            let missing = try await server.send(.get, bucket: "no-such-bucket", query: [OSSQueryItem(name: "versions")])
            #expect(missing.errorCode == "NoSuchBucket")
        }
    }

    /// Every error a client can provoke, as the SDKs read it: `Code`, `Message`, `RequestId`
    /// (equal to the header), `HostId`, and `EC` mirrored in `x-oss-ec` when there is one.
    @Test func errorBodiesCarryWhatTheSDKsParse() async throws {
        try await LiveServer.run { server in
            try await server.put("k", Array("body".utf8))
            try await server.send(.put, key: "dangling", query: [OSSQueryItem(name: "symlink")], headers: [("x-oss-symlink-target", "none")])
            let requests: [(HTTPRequest.Method, String?, String?, [OSSQueryItem], [(String, String)], [UInt8]?, Signing, Int, String)] = [
                (.get, "bkt", "missing", [], [], nil, .v1, 404, "NoSuchKey"),
                (.get, "no-such-bucket", "k", [], [], nil, .v1, 404, "NoSuchBucket"),
                (.get, "bkt", "k", [], [], nil, .anonymous, 403, "AccessDenied"),
                (.get, "bkt", "k", [], [], nil, .v1WithSecret("wrong"), 403, "SignatureDoesNotMatch"),
                (.get, "bkt", "dangling", [], [], nil, .v1, 404, "SymlinkTargetNotExist"),
                (.get, "bkt", "k", [], [("If-Match", "\"00\"")], nil, .v1, 412, "PreconditionFailed"),
                (.get, "bkt", "k", [], [("Range", "bytes=100-"), ("x-oss-range-behavior", "standard")], nil, .v1, 416, "InvalidRange"),
                (.put, "bkt", "k", [OSSQueryItem(name: "lifecycle")], [], [1], .v1, 400, "NotImplemented"),
                (.post, "bkt", "k", [], [], [1], .v1, 405, "MethodNotAllowed"),
                (.put, "bkt", "k", [OSSQueryItem(name: "tagging")], [], Array("<x".utf8), .v1, 400, "MalformedXML"),
                (.put, "bkt", "\\bad", [], [], [1], .v1, 400, "InvalidObjectName"),
                (.put, "bkt", "p", [OSSQueryItem(name: "partNumber", value: "1"), OSSQueryItem(name: "uploadId", value: "nope")], [], [1], .v1, 404, "NoSuchUpload"),
                (.post, "bkt", "k", [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "0")], [], [1], .v1, 409, "ObjectNotAppendable"),
                (.put, "bkt", "k", [], [("x-oss-forbid-overwrite", "true")], [1], .v1, 409, "FileAlreadyExists"),
                (.delete, "bkt", nil, [], [], nil, .v1, 409, "BucketNotEmpty"),
            ]
            for (method, bucket, key, query, headers, body, signing, status, code) in requests {
                for method in method == .get ? [HTTPRequest.Method.get, .head] : [method] {
                    let response = try await server.send(method, bucket: bucket, key: key, query: query, headers: headers, body: body, signing: signing)
                    let what = "\(method) \(key ?? "") \(code)"
                    #expect(response.status.code == status, "\(what)")
                    let xml: Data
                    if method == .head {
                        #expect(response.body.readableBytes == 0, "\(what)")
                        xml = try #require(response.header("x-oss-err").flatMap { Data(base64Encoded: $0) }, "\(what): x-oss-err")
                    } else {
                        #expect(response.header("Content-Type") == "application/xml", "\(what)")
                        xml = Data(response.bytes)
                    }
                    let error = try OSSError(parsing: xml, status: status)
                    #expect(error.code == code, "\(what)")
                    #expect(!error.message.isEmpty, "\(what)")
                    #expect(error.requestID == response.header("x-oss-request-id"), "\(what)")
                    #expect(error.hostID?.isEmpty == false, "\(what)")
                    #expect(error.detail("EC") == response.header("x-oss-ec"), "\(what)")
                }
            }
            // NoSuchKey and NoSuchBucket carry OSS's EC values.
            #expect(try await server.send(.get, key: "missing").header("x-oss-ec") == "0026-00000001")
            #expect(try await server.send(.get, bucket: "no-such-bucket", key: "k").header("x-oss-ec") == "0015-00000101")
            // 304 is no error to either SDK: no body and no x-oss-err.
            let etag = try #require(try await server.send(.head, key: "k").header("ETag"))
            let notModified = try await server.send(.head, key: "k", headers: [("If-None-Match", etag)])
            #expect(notModified.status == .notModified)
            #expect(notModified.header("x-oss-err") == nil)
        }
    }

    @Test func bucketsCanBeCreatedAndDeletedHundredsOfTimes() async throws {
        try await LiveServer.run { server in
            for round in 0..<300 {
                // Half the rounds reuse one name, so a deleted bucket must leave nothing behind.
                let name = round.isMultiple(of: 2) ? "churn" : "churn-\(round)"
                #expect(try await server.send(.put, bucket: name).status == .ok, "round \(round)")
                #expect(try await server.send(.put, bucket: name, key: "o", body: [UInt8(truncatingIfNeeded: round)]).status == .ok)
                #expect(try await server.send(.delete, bucket: name).errorCode == "BucketNotEmpty")
                #expect(try await server.send(.delete, bucket: name, key: "o").status == .noContent)
                #expect(try await server.send(.delete, bucket: name).status == .noContent, "round \(round)")
            }
            let listing = try OSSListAllMyBucketsResult(parsing: Data(try await server.send(.get, bucket: nil).bytes))
            #expect(listing.buckets.map(\.name) == ["bkt"])
            #expect(try await server.send(.get, bucket: "churn", key: "o").errorCode == "NoSuchBucket")
        }
    }
}
