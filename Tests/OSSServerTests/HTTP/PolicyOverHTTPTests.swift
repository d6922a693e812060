import Foundation
import HTTPTypes
import OSSProtocol
import Testing

@testable import OSSServer

/// Bucket policies on a live server: what they grant other users and anonymous callers, what
/// they deny, and how they sit with ACLs, Block Public Access and the bucket's owner.
@Suite("Bucket policies over HTTP")
struct PolicyOverHTTPTests {
    static let policyQuery = [OSSQueryItem(name: "policy")]

    static func document(_ statements: String) -> [UInt8] {
        Array(#"{"Version":"1","Statement":[\#(statements)]}"#.utf8)
    }

    static func allow(_ actions: String, principal: String, resource: String, condition: String = "") -> String {
        #"{"Effect":"Allow","Action":[\#(actions)],"Principal":["\#(principal)"],"Resource":["acs:oss:*:*:\#(resource)"]\#(condition)}"#
    }

    @Test("Put, Get and DeleteBucketPolicy: stored as sent, refused when malformed, the owner's alone")
    func lifecycleOfAPolicy() async throws {
        try await LiveServer.run { server in
            let missing = try await server.send(.get, query: Self.policyQuery)
            #expect(missing.status == .notFound && missing.errorCode == "NoSuchBucketPolicy")

            let body = Self.document(Self.allow(#""oss:GetObject""#, principal: "*", resource: "bkt/public/*"))
            #expect(try await server.send(.put, query: Self.policyQuery, body: body).status == .ok)
            let stored = try await server.send(.get, query: Self.policyQuery)
            #expect(stored.status == .ok && stored.bytes == body)
            #expect(stored.header("content-type") == "application/json")

            let malformed = try await server.send(.put, query: Self.policyQuery, body: Array(#"{"Version":"1"}"#.utf8))
            #expect(malformed.status == .badRequest && malformed.errorCode == "InvalidPolicyDocument")
            #expect(try await server.send(.get, query: Self.policyQuery).bytes == body, "a refused policy changes nothing")

            let bob = try await server.addUser("bob")
            for method in [HTTPRequest.Method.get, .put, .delete] {
                let response = try await server.send(method, query: Self.policyQuery, body: method == .put ? body : nil, signing: .v1As(bob.credentials))
                #expect(response.status == .forbidden && response.errorCode == "AccessDenied", "\(method)")
            }
            #expect(try await server.send(.delete, query: Self.policyQuery).status == .noContent)
            #expect(try await server.send(.get, query: Self.policyQuery).errorCode == "NoSuchBucketPolicy")
            #expect(try await server.send(.delete, query: Self.policyQuery).status == .noContent, "deleting none is 204")
        }
    }

    @Test("a grant of GetObject on logs/* lets a user read exactly those keys: no listing, no writes, no other prefix")
    func narrowGrant() async throws {
        try await LiveServer.run { server in
            try await server.put("logs/a.log", Array("a".utf8))
            try await server.put("secret.txt", Array("s".utf8))
            let bob = try await server.addUser("bob")
            let policy = Self.document(
                Self.allow(#""oss:GetObject""#, principal: bob.id, resource: "bkt/logs/*") + ","
                    + Self.allow(#""oss:ListObjects""#, principal: bob.id, resource: "bkt", condition: #","Condition":{"StringLike":{"oss:Prefix":"logs/*"}}"#))
            #expect(try await server.send(.put, query: Self.policyQuery, body: policy).status == .ok)
            let asBob = Signing.v1As(bob.credentials)

            #expect(try await server.send(.get, key: "logs/a.log", signing: asBob).bodyText == "a")
            #expect(try await server.send(.head, key: "logs/a.log", signing: asBob).status == .ok)
            #expect(try await server.send(.get, key: "logs/missing", signing: asBob).errorCode == "NoSuchKey", "a granted reader learns a key is missing")
            for (method, key, query) in [
                (HTTPRequest.Method.get, "secret.txt", [OSSQueryItem]()), (.put, "logs/forged.log", []), (.delete, "logs/a.log", []),
                (.get, "logs/a.log", [OSSQueryItem(name: "acl")]),
            ] {
                let response = try await server.send(method, key: key, query: query, body: method == .put ? [1] : nil, signing: asBob)
                #expect(response.status == .forbidden && response.errorCode == "AccessDenied", "\(method) \(key)")
            }
            #expect(try await server.send(.get, query: [OSSQueryItem(name: "prefix", value: "logs/")], signing: asBob).status == .ok)
            #expect(try await server.send(.get, signing: asBob).status == .forbidden, "listing the whole bucket is not granted")
            #expect(try await server.send(.get, query: [OSSQueryItem(name: "prefix", value: "secret")], signing: asBob).status == .forbidden)
            // Another user gets nothing from bob's grant.
            let carol = try await server.addUser("carol")
            #expect(try await server.send(.get, key: "logs/a.log", signing: .v1As(carol.credentials)).status == .forbidden)
            #expect(try await server.send(.get, key: "logs/a.log", signing: .anonymous).status == .forbidden)
        }
    }

    @Test("a Deny statement overrides an Allow and a public-read ACL, for everyone but the owner")
    func denyOverridesAllowAndACL() async throws {
        try await LiveServer.run { server in
            try await server.put("private/x", Array("x".utf8))
            try await server.put("open/y", Array("y".utf8))
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read")])
            let bob = try await server.addUser("bob")
            let policy = Self.document(
                Self.allow(#""oss:GetObject""#, principal: bob.id, resource: "bkt/*") + ","
                    + #"{"Effect":"Deny","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:bkt/private/*"}"#)
            #expect(try await server.send(.put, query: Self.policyQuery, body: policy).status == .ok)
            for signing in [Signing.anonymous, .v1As(bob.credentials)] {
                let denied = try await server.send(.get, key: "private/x", signing: signing)
                #expect(denied.status == .forbidden && denied.errorCode == "AccessDenied")
                #expect(denied.bodyText.contains("bucket policy"))
                #expect(try await server.send(.get, key: "open/y", signing: signing).bodyText == "y")
            }
            #expect(try await server.send(.get, key: "private/x").bodyText == "x", "the owner is never locked out")
        }
    }

    @Test("a public statement grants anonymous callers until Block Public Access is turned on")
    func publicStatementsAndBlockPublicAccess() async throws {
        try await LiveServer.run { server in
            try await server.put("k", Array("v".utf8))
            let policy = Self.document(Self.allow(#""oss:GetObject""#, principal: "*", resource: "bkt/*"))
            #expect(try await server.send(.put, query: Self.policyQuery, body: policy).status == .ok)
            #expect(try await server.send(.get, key: "k", signing: .anonymous).bodyText == "v")
            #expect(try await server.send(.put, key: "k", body: [1], signing: .anonymous).status == .forbidden)
            let block = Array("<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>".utf8)
            #expect(try await server.send(.put, query: [OSSQueryItem(name: "publicAccessBlock")], body: block).status == .ok)
            #expect(try await server.send(.get, key: "k", signing: .anonymous).status == .forbidden)
        }
    }

    @Test("DeleteMultipleObjects is judged key by key; one denied key deletes nothing")
    func deleteMultipleKeyByKey() async throws {
        try await LiveServer.run { server in
            for key in ["tmp/a", "tmp/b", "keep"] { try await server.put(key, [1]) }
            let bob = try await server.addUser("bob")
            let policy = Self.document(Self.allow(#""oss:DeleteObject""#, principal: bob.id, resource: "bkt/tmp/*"))
            #expect(try await server.send(.put, query: Self.policyQuery, body: policy).status == .ok)
            let delete = { (keys: [String]) in
                let objects = keys.map { "<Object><Key>\($0)</Key></Object>" }.joined()
                return try await server.send(
                    .post, query: [OSSQueryItem(name: "delete")], body: Array("<Delete><Quiet>true</Quiet>\(objects)</Delete>".utf8),
                    signing: .v1As(bob.credentials))
            }
            let refused = try await delete(["tmp/b", "keep"])
            #expect(refused.status == .forbidden && refused.errorCode == "AccessDenied")
            #expect(try await server.send(.head, key: "tmp/b").status == .ok, "nothing was deleted")
            #expect(try await delete(["tmp/a", "tmp/b"]).status == .ok)
            #expect(try await server.send(.head, key: "tmp/a").status == .notFound)
            #expect(try await server.send(.head, key: "keep").status == .ok)
        }
    }

    @Test("a source-address condition: loopback matches 127.0.0.0/8, not another address")
    func sourceAddress() async throws {
        try await LiveServer.run { server in
            try await server.put("k", Array("v".utf8))
            let bob = try await server.addUser("bob")
            for (range, expected) in [("127.0.0.2/32", HTTPResponse.Status.forbidden), ("127.0.0.0/8", .ok)] {
                let policy = Self.document(
                    Self.allow(#""oss:GetObject""#, principal: bob.id, resource: "bkt/*", condition: #","Condition":{"IpAddress":{"acs:SourceIp":"\#(range)"}}"#))
                #expect(try await server.send(.put, query: Self.policyQuery, body: policy).status == .ok)
                #expect(try await server.send(.get, key: "k", signing: .v1As(bob.credentials)).status == expected, "\(range)")
            }
        }
    }

    @Test("a policy goes with its bucket: a bucket made again under the same name starts without one")
    func policyGoesWithItsBucket() async throws {
        try await LiveServer.run { server in
            try await server.send(.put, bucket: "gone")
            try await server.send(.put, bucket: "gone", key: "k", body: [1])
            let policy = Self.document(Self.allow(#""oss:GetObject""#, principal: "*", resource: "gone/*"))
            #expect(try await server.send(.put, bucket: "gone", query: Self.policyQuery, body: policy).status == .ok)
            #expect(try await server.send(.get, bucket: "gone", key: "k", signing: .anonymous).status == .ok)
            try await server.send(.delete, bucket: "gone", key: "k")
            #expect(try await server.send(.delete, bucket: "gone").status == .noContent)

            let bob = try await server.addUser("bob")
            #expect(try await server.send(.put, bucket: "gone", signing: .v1As(bob.credentials)).status == .ok)
            try await server.send(.put, bucket: "gone", key: "k", body: [2], signing: .v1As(bob.credentials))
            #expect(try await server.send(.get, bucket: "gone", key: "k", signing: .anonymous).status == .forbidden)
            #expect(try await server.send(.get, bucket: "gone", key: "k").status == .forbidden, "the old owner is a stranger now")
        }
    }

    @Test("a symlink reads no more than its target allows: a grant on the link is not enough, a Deny on the target holds")
    func symlinksDoNotWidenAGrant() async throws {
        try await LiveServer.run { server in
            try await server.put("secret/s", Array("secret".utf8))
            try await server.put("public/p", Array("public".utf8))
            let bob = try await server.addUser("bob")
            // Bob may do anything under public/, nothing elsewhere.
            let policy = Self.document(Self.allow(#""oss:*""#, principal: bob.id, resource: "bkt/public/*"))
            #expect(try await server.send(.put, query: Self.policyQuery, body: policy).status == .ok)
            let asBob = Signing.v1As(bob.credentials)
            let link = try await server.send(
                .put, key: "public/link", query: [OSSQueryItem(name: "symlink")], headers: [("x-oss-symlink-target", "secret/s")],
                signing: asBob)
            #expect(link.status == .ok, "bob may make links under public/")
            for method in [HTTPRequest.Method.get, .head] {
                let read = try await server.send(method, key: "public/link", signing: asBob)
                #expect(read.status == .forbidden && read.errorCode == "AccessDenied", "\(method) through the link")
            }
            let meta = try await server.send(.head, key: "public/link", query: [OSSQueryItem(name: "objectMeta")], signing: asBob)
            #expect(meta.status == .forbidden, "GetObjectMeta through the link")
            let copy = try await server.send(
                .put, key: "public/stolen", headers: [("x-oss-copy-source", "/bkt/public/link")], signing: asBob)
            #expect(copy.status == .forbidden, "a copy of the link")
            // A link to what bob may read works; the owner reads through any link.
            try await server.send(
                .put, key: "public/ok", query: [OSSQueryItem(name: "symlink")], headers: [("x-oss-symlink-target", "public/p")],
                signing: asBob)
            #expect(try await server.send(.get, key: "public/ok", signing: asBob).bodyText == "public")
            #expect(try await server.send(.get, key: "public/link").bodyText == "secret")

            // With a public-read-write bucket, anyone may make links; a Deny on the target still holds.
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read-write")])
            let deny = Self.document(#"{"Effect":"Deny","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:bkt/secret/*"}"#)
            #expect(try await server.send(.put, query: Self.policyQuery, body: deny).status == .ok)
            try await server.send(
                .put, key: "anon-link", query: [OSSQueryItem(name: "symlink")], headers: [("x-oss-symlink-target", "secret/s")],
                signing: .anonymous)
            #expect(try await server.send(.get, key: "anon-link", signing: .anonymous).status == .forbidden)
            #expect(try await server.send(.get, key: "public/p", signing: .anonymous).bodyText == "public")
        }
    }
}
