import CRC64
import Foundation
import HTTPTypes
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// Bucket and object ACLs (§2.7, §3.5) over real HTTP: what they store, what they serve, and what
/// they allow a caller that sends no signature at all.
@Suite struct AccessControlTests {
    /// The grant of an `AccessControlPolicy` body as sent, read with the protocol's parser (as
    /// an object's grant, whose values include every bucket grant).
    static func grant(_ response: LiveResponse) throws -> String {
        try OSSAccessControlPolicy<OSSObjectACL>(parsing: Data(response.bytes)).grant.rawValue
    }

    @Test func bucketACLRoundTrip() async throws {
        try await LiveServer.run { server in
            let acl = [OSSQueryItem(name: "acl")]
            let initial = try await server.send(.get, query: acl)
            #expect(initial.status == .ok)
            #expect(initial.header("Content-Type") == "application/xml")
            #expect(try Self.grant(initial) == "private")
            for value in ["public-read", "public-read-write", "private"] {
                let put = try await server.send(.put, query: acl, headers: [("x-oss-acl", value)])
                #expect(put.status == .ok, "PUT ?acl \(value)")
                #expect(try Self.grant(try await server.send(.get, query: acl)) == value)
            }
            for bad in ["public", "default", ""] {
                let refused = try await server.send(.put, query: acl, headers: [("x-oss-acl", bad)])
                #expect(refused.status == .badRequest, "x-oss-acl '\(bad)'")
                #expect(refused.errorCode == "InvalidArgument")
            }
            #expect(try await server.send(.put, query: acl).errorCode == "InvalidArgument")
            #expect(try Self.grant(try await server.send(.get, query: acl)) == "private")
            let missing = try await server.send(.get, bucket: "no-such-bucket", query: acl)
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "NoSuchBucket")

            // A bucket created with x-oss-acl reports it, in its ACL and in GetBucketInfo.
            #expect(try await server.send(.put, bucket: "made-public", headers: [("x-oss-acl", "public-read")]).status == .ok)
            #expect(try Self.grant(try await server.send(.get, bucket: "made-public", query: acl)) == "public-read")
            let info = try await server.send(.get, bucket: "made-public", query: [OSSQueryItem(name: "bucketInfo")])
            #expect(try OSSBucketInfo(parsing: Data(info.bytes)).acl.rawValue == "public-read")
        }
    }

    @Test func objectACLRoundTrip() async throws {
        try await LiveServer.run { server in
            let acl = [OSSQueryItem(name: "acl")]
            let body = Array("acl object".utf8)
            let put = try await server.put("o", body)
            #expect(try Self.grant(try await server.send(.get, key: "o", query: acl)) == "default")
            for value in ["private", "public-read", "public-read-write", "default"] {
                #expect(try await server.send(.put, key: "o", query: acl, headers: [("x-oss-object-acl", value)]).status == .ok)
                #expect(try Self.grant(try await server.send(.get, key: "o", query: acl)) == value)
            }
            // Changing the ACL changes neither the bytes nor the ETag nor Last-Modified.
            let after = try await server.send(.get, key: "o")
            #expect(after.bytes == body)
            #expect(after.header("ETag") == put.header("ETag"))
            #expect(after.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))

            let bad = try await server.send(.put, key: "o", query: acl, headers: [("x-oss-object-acl", "publicread")])
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "InvalidArgument")
            // As OSS: no x-oss-object-acl at all is a missing argument, not an invalid one.
            let absent = try await server.send(.put, key: "o", query: acl)
            #expect(absent.status == .badRequest && absent.errorCode == "MissingArgument")
            let missing = try await server.send(.get, key: "nothing", query: acl)
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "NoSuchKey")
            #expect(try await server.send(.put, key: "nothing", query: acl, headers: [("x-oss-object-acl", "private")]).errorCode == "NoSuchKey")
            // ?acl never writes the body it came with.
            #expect(try await server.send(.get, key: "nothing").status == .notFound)

            // PutObject with x-oss-object-acl sets it; a bad value stores nothing.
            try await server.put("born-public", body, headers: [("x-oss-object-acl", "public-read")])
            #expect(try Self.grant(try await server.send(.get, key: "born-public", query: acl)) == "public-read")
            let refused = try await server.put("never", body, headers: [("x-oss-object-acl", "everyone")])
            #expect(refused.errorCode == "InvalidArgument")
            #expect(try await server.send(.head, key: "never").status == .notFound)
        }
    }

    /// An anonymous GET through a symlink needs the link's and the target's ACLs to allow it;
    /// a dangling link answers by the link's ACL alone, a missing key by the bucket's.
    @Test func anonymousReadsThroughSymlinksNeedBothACLs() async throws {
        try await LiveServer.run { server in
            let symlink = [OSSQueryItem(name: "symlink")]
            try await server.put("open", Array("open".utf8), headers: [("x-oss-object-acl", "public-read")])
            try await server.put("closed", Array("closed".utf8))
            for (link, target) in [("to-open", "open"), ("to-closed", "closed"), ("to-nothing", "nothing")] {
                let made = try await server.send(
                    .put, key: link, query: symlink,
                    headers: [("x-oss-symlink-target", target), ("x-oss-object-acl", "public-read")])
                #expect(made.status == .ok)
            }
            let open = try await server.send(.get, key: "to-open", signing: .anonymous)
            #expect(open.status == .ok && open.bodyText == "open")
            #expect(try await server.send(.head, key: "to-open", signing: .anonymous).status == .ok)
            #expect(try await server.send(.get, key: "to-closed", signing: .anonymous).errorCode == "AccessDenied")
            #expect(try await server.send(.head, key: "to-closed", signing: .anonymous).status == .forbidden)
            #expect(try await server.send(.get, key: "to-nothing", signing: .anonymous).errorCode == "SymlinkTargetNotExist")
            #expect(try await server.send(.get, key: "closed", signing: .anonymous).errorCode == "AccessDenied")
            #expect(try await server.send(.get, key: "nothing", signing: .anonymous).errorCode == "AccessDenied")
        }
    }

    @Test func privateBucketRefusesAnonymousCallers() async throws {
        try await LiveServer.run { server in
            try await server.put("secret", Array("secret".utf8))
            let refused: [LiveResponse] = [
                try await server.send(.get, key: "secret", signing: .anonymous),
                try await server.send(.get, key: "missing", signing: .anonymous),
                try await server.send(.put, key: "new", body: [1], signing: .anonymous),
                try await server.send(.delete, key: "secret", signing: .anonymous),
                try await server.send(.get, signing: .anonymous),
                try await server.send(.get, bucket: nil, signing: .anonymous),
                try await server.send(.get, query: [OSSQueryItem(name: "acl")], signing: .anonymous),
                try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read-write")], signing: .anonymous),
                try await server.send(.post, key: "mp", query: [OSSQueryItem(name: "uploads")], signing: .anonymous),
            ]
            for response in refused {
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "AccessDenied")
                #expect(response.bodyText.contains("<RequestId>") && response.bodyText.contains("<HostId>"))
            }
            let head = try await server.send(.head, key: "secret", signing: .anonymous)
            #expect(head.status == .forbidden)
            #expect(head.body.readableBytes == 0)
            #expect(head.errorCode == "AccessDenied", "HEAD carries the error in x-oss-err")
            #expect(try await server.send(.get, key: "secret").bodyText == "secret")
            #expect(try await server.send(.head, key: "new").status == .notFound, "a refused write stores nothing")
            #expect(try Self.grant(try await server.send(.get, query: [OSSQueryItem(name: "acl")])) == "private")
        }
    }

    @Test func publicReadBucketAllowsAnonymousReadsOnly() async throws {
        try await LiveServer.run { server in
            let body = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            try await server.put("dir/open", body)
            try await server.put("dir/closed", body, headers: [("x-oss-object-acl", "private")])
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read")])

            let get = try await server.send(.get, key: "dir/open", signing: .anonymous)
            #expect(get.status == .ok)
            #expect(get.bytes == body)
            #expect(get.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            let ranged = try await server.send(.get, key: "dir/open", headers: [("Range", "bytes=10-19")], signing: .anonymous)
            #expect(ranged.status == .partialContent)
            #expect(ranged.bytes == Array(body[10...19]))
            #expect(try await server.send(.head, key: "dir/open", signing: .anonymous).status == .ok)
            #expect(try await server.send(.head, key: "dir/open", query: [OSSQueryItem(name: "objectMeta")], signing: .anonymous).status == .ok)
            let listing = try await server.send(.get, query: [OSSQueryItem(name: "prefix", value: "dir/")], signing: .anonymous)
            #expect(listing.status == .ok)
            #expect(try OSSListBucketResult(parsing: Data(listing.bytes)).contents.map(\.key) == ["dir/closed", "dir/open"])
            let missing = try await server.send(.get, key: "dir/none", signing: .anonymous)
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "NoSuchKey")

            // An object's own private ACL wins over the bucket's.
            #expect(try await server.send(.get, key: "dir/closed", signing: .anonymous).errorCode == "AccessDenied")
            // Writes, deletes, uploads and ACL reads stay the owner's.
            for response in [
                try await server.send(.put, key: "dir/new", body: [1, 2, 3], signing: .anonymous),
                try await server.send(.put, key: "dir/open", body: [1, 2, 3], signing: .anonymous),
                try await server.send(.delete, key: "dir/open", signing: .anonymous),
                try await server.send(.post, key: "dir/mp", query: [OSSQueryItem(name: "uploads")], signing: .anonymous),
                try await server.send(.get, key: "dir/open", query: [OSSQueryItem(name: "acl")], signing: .anonymous),
                try await server.send(.get, query: [OSSQueryItem(name: "bucketInfo")], signing: .anonymous),
                try await server.send(.delete, signing: .anonymous),
            ] {
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "AccessDenied")
            }
            #expect(try await server.send(.get, key: "dir/open").bytes == body, "refused writes change nothing")
            #expect(try await server.send(.head, key: "dir/new").status == .notFound)
        }
    }

    @Test func publicReadWriteBucketAllowsAnonymousWrites() async throws {
        try await LiveServer.run { server in
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read-write")])
            let body = Array("written by nobody".utf8)
            let put = try await server.send(.put, key: "anon", body: body, signing: .anonymous)
            #expect(put.status == .ok)
            #expect(put.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            #expect(try await server.send(.get, key: "anon").bytes == body)
            #expect(try await server.send(.get, key: "anon", signing: .anonymous).bytes == body)

            // A private object in a public-read-write bucket is neither readable nor replaceable.
            try await server.put("locked", Array("owner's".utf8), headers: [("x-oss-object-acl", "private")])
            #expect(try await server.send(.get, key: "locked", signing: .anonymous).errorCode == "AccessDenied")
            #expect(try await server.send(.put, key: "locked", body: [0], signing: .anonymous).errorCode == "AccessDenied")
            #expect(try await server.send(.delete, key: "locked", signing: .anonymous).errorCode == "AccessDenied")
            #expect(try await server.send(.get, key: "locked").bodyText == "owner's")
            // DeleteMultipleObjects checks each object's ACL too.
            let batch = OSSDeleteRequest(objects: [.init(key: "anon"), .init(key: "locked")]).xml
            let multiple = try await server.send(.post, query: [OSSQueryItem(name: "delete")], body: Array(batch.utf8), signing: .anonymous)
            #expect(multiple.errorCode == "AccessDenied")
            #expect(try await server.send(.get, key: "locked").bodyText == "owner's")
            #expect(try await server.send(.get, key: "anon").bytes == body, "a refused batch deletes nothing")

            // Multipart uploads are writes.
            let initiate = try await server.send(.post, key: "anon-mp", query: [OSSQueryItem(name: "uploads")], signing: .anonymous)
            #expect(initiate.status == .ok)
            let uploadID = try OSSInitiateMultipartUploadResult(parsing: Data(initiate.bytes)).uploadID
            #expect(try await server.send(.delete, key: "anon-mp", query: [OSSQueryItem(name: "uploadId", value: uploadID)], signing: .anonymous).status == .noContent)

            #expect(try await server.send(.delete, key: "anon", signing: .anonymous).status == .noContent)
            #expect(try await server.send(.head, key: "anon").status == .notFound)
            // Bucket management is still the owner's.
            #expect(try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "private")], signing: .anonymous).errorCode == "AccessDenied")
        }
    }

    @Test func objectACLOpensAnObjectOfAPrivateBucket() async throws {
        try await LiveServer.run { server in
            try await server.put("shared", Array("shared".utf8), headers: [("x-oss-object-acl", "public-read")])
            try await server.put("scratch", Array("scratch".utf8), headers: [("x-oss-object-acl", "public-read-write")])
            #expect(try await server.send(.get, key: "shared", signing: .anonymous).bodyText == "shared")
            #expect(try await server.send(.put, key: "shared", body: [1], signing: .anonymous).errorCode == "AccessDenied")
            #expect(try await server.send(.put, key: "scratch", body: Array("new".utf8), signing: .anonymous).status == .ok)
            #expect(try await server.send(.get, key: "scratch").bodyText == "new")
            // Setting the ACL back to default closes it again.
            try await server.send(.put, key: "shared", query: [OSSQueryItem(name: "acl")], headers: [("x-oss-object-acl", "default")])
            #expect(try await server.send(.get, key: "shared", signing: .anonymous).errorCode == "AccessDenied")
        }
    }

    @Test(arguments: [Signing.presignedV1, .presignedV4])
    func presignedURLsAreSignedRequests(signing: Signing) async throws {
        try await LiveServer.run { server in
            let body = Array("presigned".utf8)
            let put = try await server.send(.put, key: "url", headers: [("Content-Type", "text/plain")], body: body, signing: signing)
            #expect(put.status == .ok)
            #expect(put.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(body)))
            let get = try await server.send(.get, key: "url", signing: signing)
            #expect(get.status == .ok)
            #expect(get.bytes == body)
            #expect(get.header("Content-Type") == "text/plain")
            // The bucket is private: the URL signature, not the ACL, let these through.
            #expect(try await server.send(.get, key: "url", signing: .anonymous).errorCode == "AccessDenied")
            // The URL signed for one key does not open another.
            let signed = OSSRequest(method: "GET", bucket: "bkt", key: "url")
            let query = signing == .presignedV1
                ? OSSSignatureV1.presignedQuery(for: signed, credentials: LiveServer.credentials, expires: Date().addingTimeInterval(60))
                : OSSSignatureV4.presignedQuery(
                    for: signed, credentials: LiveServer.credentials, region: "cn-hangzhou", date: Date(), expiresIn: 60)
            try await server.put("other", [1])
            let tampered = try await server.execute(
                uri: "/bkt/other?" + OSSQueryItem.encode(query), method: .get, headers: [:], body: nil)
            #expect(tampered.status == .forbidden)
            #expect(tampered.errorCode == "SignatureDoesNotMatch")
        }
    }
}
