import CRC64
import Crypto
import Foundation
import HTTPTypes
import OSSProtocol
import Testing

@testable import OSSServer

/// The server over real HTTP on loopback: headers every response carries, authentication
/// failures, CRC-64 rules and bad input.
@Suite struct ProtocolEdgeTests {
    @Test func everyResponseHasDateAndRequestID() async throws {
        try await LiveServer.run { server in
            for response in [
                try await server.put("a", Array("x".utf8)),
                try await server.send(.get, key: "missing"),
                try await server.send(.get, signing: .anonymous),
            ] {
                let id = try #require(response.header("x-oss-request-id"))
                #expect(id.count == 24 && id.allSatisfy { $0.isHexDigit && !$0.isLowercase })
                let date = try #require(response.header("Date"))
                #expect(OSSDateFormat.date(httpDate: date) != nil, "Date '\(date)' must be RFC 1123")
            }
        }
    }

    /// OSS looks the bucket up before it judges the signature; alibabacloud_oss_v2's
    /// `is_bucket_exist` and `is_object_exist` rely on it.
    @Test func aMissingBucketIsNoSuchBucketWhateverTheSignature() async throws {
        try await LiveServer.run { server in
            let unknownKey = [("Authorization", "OSS LTAIunknown:c2lnbmF0dXJl"), ("Date", OSSDateFormat.httpDate(Date()))]
            for bucket in ["no-such-bucket", "bkt"] {
                let expected = bucket == "bkt" ? "SignatureDoesNotMatch" : "NoSuchBucket"
                let wrongSecret = try await server.send(.head, bucket: bucket, key: "k", signing: .v1WithSecret("nope"))
                #expect(wrongSecret.errorCode == expected, "\(bucket)")
                let listing = try await server.send(.get, bucket: bucket, signing: .v1WithSecret("nope"))
                #expect(listing.errorCode == expected, "\(bucket)")
                let put = try await server.send(.put, bucket: bucket, key: "k", body: [1], signing: .v1WithSecret("nope"))
                #expect(put.errorCode == expected, "\(bucket)")
                let unknown = try await server.send(.get, bucket: bucket, key: "k", headers: unknownKey, signing: .anonymous)
                #expect(unknown.errorCode == (bucket == "bkt" ? "InvalidAccessKeyId" : "NoSuchBucket"), "\(bucket)")
            }
            let missing = try await server.send(.get, bucket: "no-such-bucket", signing: .v1WithSecret("nope"))
            #expect(missing.status == .notFound)
            // PutBucket and PutBucketAcl may name a bucket yet to be made: their signature error stays.
            let create = try await server.send(.put, bucket: "to-be-made", signing: .v1WithSecret("nope"))
            #expect(create.errorCode == "SignatureDoesNotMatch")
            let acl = try await server.send(
                .put, bucket: "to-be-made", query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "private")],
                signing: .v1WithSecret("nope"))
            #expect(acl.errorCode == "SignatureDoesNotMatch")
            #expect(try await server.send(.get, bucket: "to-be-made").errorCode == "NoSuchBucket")
        }
    }

    @Test func authenticationFailuresAreTheDocumentedErrors() async throws {
        try await LiveServer.run { server in
            let anonymous = try await server.send(.get, key: "k", signing: .anonymous)
            #expect(anonymous.status == .forbidden)
            #expect(anonymous.errorCode == "AccessDenied")

            let wrongSecret = try await server.send(.get, key: "k", signing: .v1WithSecret("nope"))
            #expect(wrongSecret.status == .forbidden)
            #expect(wrongSecret.errorCode == "SignatureDoesNotMatch")
            #expect(wrongSecret.bodyText.contains("<StringToSign>"))

            let skewed = try await server.send(.get, key: "k", signing: .v1At(Date().addingTimeInterval(-3600)))
            #expect(skewed.status == .forbidden)
            #expect(skewed.errorCode == "RequestTimeTooSkewed")

            let unknownKey = try await server.send(.get, key: "k", headers: [("Authorization", "OSS LTAIunknown:c2lnbmF0dXJl"), ("Date", OSSDateFormat.httpDate(Date()))], signing: .anonymous)
            #expect(unknownKey.status == .forbidden)
            #expect(unknownKey.errorCode == "InvalidAccessKeyId")

            #expect(try await server.put("k", Array("v4 works".utf8)).status == .ok)
            let v4 = try await server.send(.get, key: "k", signing: .v4)
            #expect(v4.status == .ok)
            #expect(v4.bodyText == "v4 works")
        }
    }

    @Test func headErrorsCarryTheErrorInAHeader() async throws {
        try await LiveServer.run { server in
            let missingKey = try await server.send(.head, key: "missing")
            #expect(missingKey.status == .notFound)
            #expect(missingKey.body.readableBytes == 0)
            #expect(missingKey.errorCode == "NoSuchKey")
            let missingBucket = try await server.send(.head, bucket: "no-such-bucket", key: "k")
            #expect(missingBucket.errorCode == "NoSuchBucket")
        }
    }

    @Test func everyWriteReturnsTheCRCAndAClientCRCIsEnforced() async throws {
        try await LiveServer.run { server in
            let body = Array("hello, oss".utf8)
            let put = try await server.put("crc", body)
            #expect(put.header("x-oss-hash-crc64ecma") == "11726769516912404153")
            #expect(put.header("ETag") == "\"B353A6AC7A6EE89236F6D56F81694BBB\"")

            let wrong = try await server.put("checked", body, headers: [("x-oss-hash-crc64ecma", "12345")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.errorCode == "InvalidDigest")
            #expect(try await server.send(.get, key: "checked").status == .notFound, "a rejected write must leave nothing")

            let right = try await server.put("checked", body, headers: [("x-oss-hash-crc64ecma", "11726769516912404153")])
            #expect(right.status == .ok)

            let badMD5 = try await server.put("md5", body, headers: [("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")])
            #expect(badMD5.status == .badRequest)
            #expect(badMD5.errorCode == "InvalidDigest")
            #expect(try await server.send(.get, key: "md5").status == .notFound)
        }
    }

    @Test func rangedGetCarriesTheWholeObjectCRC() async throws {
        try await LiveServer.run { server in
            let body = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let crc = String(CRC64.xz.checksum(body))
            try await server.put("r", body)
            let ranged = try await server.send(.get, key: "r", headers: [("Range", "bytes=10-19")])
            #expect(ranged.status == .partialContent)
            #expect(ranged.bytes == Array(body[10...19]))
            #expect(ranged.header("Content-Range") == "bytes 10-19/1000")
            #expect(ranged.header("x-oss-hash-crc64ecma") == crc)

            let suffix = try await server.send(.get, key: "r", headers: [("Range", "bytes=-5")])
            #expect(suffix.bytes == Array(body[995...]))
            let open = try await server.send(.get, key: "r", headers: [("Range", "bytes=990-")])
            #expect(open.bytes == Array(body[990...]))

            let invalid = try await server.send(.get, key: "r", headers: [("Range", "bytes=2000-3000")])
            #expect(invalid.status == .ok, "OSS serves the whole object for an unsatisfiable range")
            #expect(invalid.bytes == body)
            let standard = try await server.send(.get, key: "r", headers: [("Range", "bytes=2000-3000"), ("x-oss-range-behavior", "standard")])
            #expect(standard.status.code == 416)
            #expect(standard.errorCode == "InvalidRange")
        }
    }

    @Test func conditionalReads() async throws {
        try await LiveServer.run { server in
            let etag = try #require(try await server.put("c", Array("abc".utf8)).header("ETag"))
            #expect(try await server.send(.get, key: "c", headers: [("If-None-Match", etag)]).status == .notModified)
            let failed = try await server.send(.get, key: "c", headers: [("If-Match", "\"0000\"")])
            #expect(failed.status == .preconditionFailed)
            #expect(failed.errorCode == "PreconditionFailed")
            // oss2's resumable download sends an unquoted, possibly lower-case If-Match.
            let unquoted = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            #expect(try await server.send(.get, key: "c", headers: [("If-Match", unquoted)]).status == .ok)
        }
    }

    @Test func badNamesAreRefused() async throws {
        try await LiveServer.run { server in
            let bucket = try await server.send(.put, bucket: "Bad_Bucket", body: [])
            #expect(bucket.status == .badRequest)
            #expect(bucket.errorCode == "InvalidBucketName", "\(bucket.bodyText)")
            for key in ["a/../b", "..", String(repeating: "k", count: 1024), "\\start"] {
                let response = try await server.put(key, Array("x".utf8))
                #expect(response.status == .badRequest, "key \(key.prefix(20))")
                #expect(response.errorCode == "InvalidObjectName")
            }
            let metadata = try await server.put("m", [1], headers: [("x-oss-meta-big", String(repeating: "v", count: 9000))])
            #expect(metadata.status == .badRequest)
            #expect(metadata.errorCode == "InvalidArgument")
        }
    }

    @Test func unknownSubresourcesNeverWrite() async throws {
        try await LiveServer.run { server in
            for name in ["acl", "tagging", "symlink", "append"] {
                let response = try await server.send(.put, key: "sub", query: [OSSQueryItem(name: name)], body: Array("data".utf8))
                #expect(response.status.code >= 400, "?\(name)")
                #expect(response.errorCode != nil)
            }
            #expect(try await server.send(.get, key: "sub").status == .notFound)
            // Sub-resources this server does not serve are a clean 400 NotImplemented, for every verb.
            for name in ["x-oss-process", "worm", "replication", "inventory", "encryption"] {
                for method in [HTTPRequest.Method.put, .post, .delete, .get] {
                    let response = try await server.send(method, key: "sub", query: [OSSQueryItem(name: name, value: "1")], body: Array("data".utf8))
                    #expect(response.status == .badRequest, "\(method) ?\(name)")
                    #expect(response.errorCode == "NotImplemented", "\(method) ?\(name)")
                }
                let bucketLevel = try await server.send(.put, query: [OSSQueryItem(name: name)], body: Array("<x/>".utf8))
                #expect(bucketLevel.errorCode == "NotImplemented", "PUT /bkt/?\(name)")
            }
            // Bucket sub-resources on an object are refused, never stored.
            for name in ["lifecycle", "versioning", "referer", "website", "logging", "policy", "qos", "qosInfo"] {
                for method in [HTTPRequest.Method.put, .post, .delete, .get] {
                    let response = try await server.send(method, key: "sub", query: [OSSQueryItem(name: name)], body: Array("data".utf8))
                    #expect(response.errorCode == "NotImplemented", "\(method) ?\(name)")
                }
            }
            // A write creates versions; one that names a version is refused, never stored.
            for method in [HTTPRequest.Method.put, .post] {
                let response = try await server.send(method, key: "sub", query: [OSSQueryItem(name: "versionId", value: "1")], body: Array("data".utf8))
                #expect(response.errorCode == "NotImplemented", "\(method) ?versionId")
            }
            // RestoreObject takes only POST; other verbs are refused, never turned into a write.
            for method in [HTTPRequest.Method.put, .delete, .get] {
                let response = try await server.send(method, key: "sub", query: [OSSQueryItem(name: "restore")], body: Array("data".utf8))
                #expect(response.status == .methodNotAllowed, "\(method) ?restore")
            }
            #expect(try await server.send(.get, key: "sub").status == .notFound)
        }
    }

    @Test func malformedMultipartRequests() async throws {
        try await LiveServer.run { server in
            let initiate = try await server.send(.post, key: "mp", query: [OSSQueryItem(name: "uploads")])
            let xml = initiate.bodyText
            let uploadID = try #require(xml.range(of: "<UploadId>").flatMap { start in
                xml.range(of: "</UploadId>").map { String(xml[start.upperBound..<$0.lowerBound]) }
            })
            let part = try await server.send(
                .put, key: "mp", query: [OSSQueryItem(name: "partNumber", value: "1"), OSSQueryItem(name: "uploadId", value: uploadID)],
                body: [UInt8](repeating: 65, count: 102_400))
            #expect(part.header("x-oss-hash-crc64ecma") == "9427277473487083924")
            let etag = try #require(part.header("ETag"))
            let uploadQuery = [OSSQueryItem(name: "uploadId", value: uploadID)]

            let broken = try await server.send(.post, key: "mp", query: uploadQuery, body: Array("<CompleteMultipartUpload><Part>".utf8))
            #expect(broken.errorCode == "MalformedXML")
            let unknownPart = "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>\(etag)</ETag></Part></CompleteMultipartUpload>"
            #expect(try await server.send(.post, key: "mp", query: uploadQuery, body: Array(unknownPart.utf8)).errorCode == "InvalidPart")
            let badNumber = try await server.send(
                .put, key: "mp", query: [OSSQueryItem(name: "partNumber", value: "10001"), OSSQueryItem(name: "uploadId", value: uploadID)],
                body: [1])
            #expect(badNumber.errorCode == "InvalidArgument")
            let good = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\(etag)</ETag></Part></CompleteMultipartUpload>"
            let complete = try await server.send(.post, key: "mp", query: uploadQuery, body: Array(good.utf8))
            #expect(complete.status == .ok)
            #expect(complete.header("x-oss-hash-crc64ecma") == "9427277473487083924")
            #expect(try await server.send(.post, key: "mp", query: uploadQuery, body: Array(good.utf8)).errorCode == "NoSuchUpload")
        }
    }

    /// A byte flipped on disk must never be served as a whole object: the GET is cut short.
    @Test func bitRotAbortsTheResponse() async throws {
        try await LiveServer.run { server in
            let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try await server.put("rot", body)
            let record = try await server.storage.objectInfo(bucket: "bkt", key: "rot")
            let path = FileBlobStore(root: server.dataDirectory.path).path(of: record.segments[0].blob)
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 123_456)
            try handle.write(contentsOf: Data([body[123_456] ^ 0xFF]))
            try handle.close()
            let served: [UInt8]? = try? await server.send(.get, key: "rot").bytes
            #expect(served != body, "corrupt bytes were delivered as a whole object")
            #expect(served.map { $0.count < body.count } ?? true, "the response must end short")
        }
    }
}
