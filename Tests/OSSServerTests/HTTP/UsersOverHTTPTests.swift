import Foundation
import HTTPTypes
import OSSProtocol
import Testing

@testable import OSSServer

/// Several users on one server: each owns the buckets it creates, sees only those, and gets
/// from everyone else's only what their ACLs grant everyone.
@Suite("Users and bucket ownership over HTTP")
struct UsersOverHTTPTests {
    @Test("each user lists only its own buckets, under its own id")
    func listingsAreSeparate() async throws {
        try await LiveServer.run { server in
            let bob = try await server.addUser("bob")
            #expect(try await server.send(.put, bucket: "bob-bkt", signing: .v1As(bob.credentials)).status == .ok)

            let bobs = try await server.send(.get, bucket: nil, signing: .v1As(bob.credentials))
            #expect(bobs.status == .ok)
            #expect(Self.bucketNames(bobs.bodyText) == ["bob-bkt"])
            #expect(bobs.bodyText.contains("<ID>\(bob.id)</ID>"))

            let owners = try await server.send(.get, bucket: nil)
            #expect(Self.bucketNames(owners.bodyText) == ["bkt"])
            #expect(owners.bodyText.contains("<ID>\(server.storage.owner.id)</ID>"))

            let info = try await server.send(.get, bucket: "bob-bkt", query: [OSSQueryItem(name: "bucketInfo")], signing: .v1As(bob.credentials))
            #expect(info.bodyText.contains("<ID>\(bob.id)</ID>"))

            // A prefix that matches none of the user's buckets (another user's bucket included)
            // is an empty list, with the owner and without the paging elements of a truncated page.
            for prefix in ["nothing-", "bk"] {
                let none = try await server.send(.get, bucket: nil, query: [OSSQueryItem(name: "prefix", value: prefix)], signing: .v1As(bob.credentials))
                #expect(none.status == .ok && Self.bucketNames(none.bodyText).isEmpty, "\(prefix)")
                #expect(none.bodyText.contains("<ID>\(bob.id)</ID>") && none.bodyText.contains("<Buckets"))
                #expect(!none.bodyText.contains("<IsTruncated>"))
            }
        }
    }

    /// Requests a stranger sends to the owner's private bucket `bkt` holding `k`.
    static let strangerRequests: [(name: String, method: HTTPRequest.Method, key: String?, query: [OSSQueryItem], headers: [(String, String)], body: [UInt8]?)] = [
        ("ListObjects", .get, nil, [], [], nil),
        ("ListObjectsV2", .get, nil, [OSSQueryItem(name: "list-type", value: "2")], [], nil),
        ("GetBucketInfo", .get, nil, [OSSQueryItem(name: "bucketInfo")], [], nil),
        ("GetBucketAcl", .get, nil, [OSSQueryItem(name: "acl")], [], nil),
        ("PutBucketAcl", .put, nil, [OSSQueryItem(name: "acl")], [("x-oss-acl", "public-read-write")], nil),
        ("DeleteBucket", .delete, nil, [], [], nil),
        ("PutBucketVersioning", .put, nil, [OSSQueryItem(name: "versioning")], [],
            Array("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>".utf8)),
        ("PutBucketCors", .put, nil, [OSSQueryItem(name: "cors")], [],
            Array("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>".utf8)),
        ("GetObject", .get, "k", [], [], nil),
        ("PutObject", .put, "k", [], [], Array("overwritten".utf8)),
        ("PutObject (new key)", .put, "new", [], [], Array("new".utf8)),
        ("DeleteObject", .delete, "k", [], [], nil),
        ("GetObjectAcl", .get, "k", [OSSQueryItem(name: "acl")], [], nil),
        ("PutObjectAcl", .put, "k", [OSSQueryItem(name: "acl")], [("x-oss-object-acl", "public-read")], nil),
        ("PutObjectTagging", .put, "k", [OSSQueryItem(name: "tagging")], [],
            Array("<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>".utf8)),
        ("InitiateMultipartUpload", .post, "k", [OSSQueryItem(name: "uploads")], [], nil),
        ("AppendObject", .post, "appended", [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "0")], [], Array("x".utf8)),
        ("DeleteMultipleObjects", .post, nil, [OSSQueryItem(name: "delete")], [],
            Array("<Delete><Quiet>true</Quiet><Object><Key>k</Key></Object></Delete>".utf8)),
    ]

    @Test("a stranger gets AccessDenied on every operation of a private bucket, and nothing changes")
    func strangersAreDenied() async throws {
        try await LiveServer.run { server in
            try await server.put("k", Array("owner's".utf8))
            let bob = try await server.addUser("bob")
            for request in Self.strangerRequests {
                let response = try await server.send(
                    request.method, key: request.key, query: request.query, headers: request.headers, body: request.body,
                    signing: .v1As(bob.credentials))
                #expect(response.status == .forbidden, "\(request.name)")
                #expect(response.errorCode == "AccessDenied", "\(request.name): \(response.bodyText)")
            }
            // A HEAD says so in x-oss-err.
            let head = try await server.send(.head, key: "k", signing: .v1As(bob.credentials))
            #expect(head.status == .forbidden && head.errorCode == "AccessDenied")
            // Bucket operations name the reason.
            let info = try await server.send(.get, query: [OSSQueryItem(name: "bucketInfo")], signing: .v1As(bob.credentials))
            #expect(info.bodyText.contains("does not belong to you"))

            // The owner's bucket is as it was.
            let object = try await server.send(.get, key: "k")
            #expect(object.status == .ok && object.bodyText == "owner's")
            let acl = try await server.send(.get, query: [OSSQueryItem(name: "acl")])
            #expect(acl.bodyText.contains("<Grant>private</Grant>"))
            let listing = try await server.send(.get)
            #expect(listing.bodyText.contains("<Key>k</Key>") && !listing.bodyText.contains("<Key>new</Key>"))
            #expect(!listing.bodyText.contains("<Key>appended</Key>"))
            #expect(try await server.storage.bucket("bkt").cors == nil)
            #expect(try await server.storage.bucket("bkt").versioning == nil)
            #expect(try await server.storage.bucketStatistics("bkt").multipartUploadCount == 0)
        }
    }

    @Test("a missing bucket is NoSuchBucket to anyone; PutBucket on a stranger's bucket is 409, on one's own 200")
    func bucketNames() async throws {
        try await LiveServer.run { server in
            let bob = try await server.addUser("bob")
            let missing = try await server.send(.get, bucket: "nobody", signing: .v1As(bob.credentials))
            #expect(missing.status == .notFound && missing.errorCode == "NoSuchBucket")
            let taken = try await server.send(.put, bucket: "bkt", signing: .v1As(bob.credentials))
            #expect(taken.status == .conflict && taken.errorCode == "BucketAlreadyExists")
            #expect(try await server.send(.put, bucket: "bkt").status == .ok)
            // Asking one's own bucket for another storage class is refused too.
            let otherClass = try await server.send(
                .put, bucket: "bkt", body: Array("<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>".utf8))
            #expect(otherClass.status == .conflict && otherClass.errorCode == "BucketAlreadyExists")
            #expect(try await server.storage.bucket("bkt").owner == server.storage.owner.id)
        }
    }

    @Test("public ACLs grant strangers what they grant everyone; the Block Public Access of the bucket owner's account counts")
    func publicACLs() async throws {
        try await LiveServer.run { server in
            try await server.put("k", Array("shared".utf8))
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read")])
            let bob = try await server.addUser("bob")
            #expect(try await server.send(.get, key: "k", signing: .v1As(bob.credentials)).bodyText == "shared")
            #expect(try await server.send(.get, signing: .v1As(bob.credentials)).status == .ok)
            let write = try await server.send(.put, key: "k", body: [1], signing: .v1As(bob.credentials))
            #expect(write.status == .forbidden && write.errorCode == "AccessDenied")
            // Reading the bucket's settings stays the owner's.
            #expect(try await server.send(.get, query: [OSSQueryItem(name: "acl")], signing: .v1As(bob.credentials)).status == .forbidden)

            let block = Array("<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>".utf8)
            // Bob's own account setting does not reach the owner's bucket…
            #expect(try await server.send(.put, bucket: nil, query: [OSSQueryItem(name: "publicAccessBlock")], body: block, signing: .v1As(bob.credentials)).status == .ok)
            #expect(try await server.send(.get, key: "k", signing: .v1As(bob.credentials)).status == .ok)
            // …the owner's does.
            #expect(try await server.send(.put, bucket: nil, query: [OSSQueryItem(name: "publicAccessBlock")], body: block).status == .ok)
            #expect(try await server.send(.get, key: "k", signing: .v1As(bob.credentials)).status == .forbidden)
            #expect(try await server.send(.get, key: "k").status == .ok, "the owner is never blocked")
        }
    }

    @Test("a copy needs the right to read its source, whoever owns the destination")
    func copiesCheckTheirSource() async throws {
        try await LiveServer.run { server in
            try await server.put("k", Array("source".utf8))
            let bob = try await server.addUser("bob")
            #expect(try await server.send(.put, bucket: "bob-bkt", signing: .v1As(bob.credentials)).status == .ok)
            let copy = { try await server.send(
                .put, bucket: "bob-bkt", key: "copied", headers: [("x-oss-copy-source", "/bkt/k")], signing: .v1As(bob.credentials)) }
            let denied = try await copy()
            #expect(denied.status == .forbidden && denied.errorCode == "AccessDenied")
            try await server.send(.put, key: "k", query: [OSSQueryItem(name: "acl")], headers: [("x-oss-object-acl", "public-read")])
            #expect(try await copy().status == .ok)
            #expect(try await server.send(.get, bucket: "bob-bkt", key: "copied", signing: .v1As(bob.credentials)).bodyText == "source")
        }
    }

    @Test("objects belong to their bucket's owner, whoever wrote them")
    func objectsBelongToTheBucketOwner() async throws {
        try await LiveServer.run { server in
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read-write")])
            let bob = try await server.addUser("bob")
            #expect(try await server.send(.put, key: "by-bob", body: [1, 2], signing: .v1As(bob.credentials)).status == .ok)
            let listing = try await server.send(.get)
            #expect(listing.bodyText.contains("<Key>by-bob</Key>"))
            #expect(listing.bodyText.contains("<ID>\(server.storage.owner.id)</ID>") && !listing.bodyText.contains(bob.id))
            #expect(try await server.send(.delete, key: "by-bob").status == .noContent)
        }
    }

    @Test("disabled, rotated and deleted keys and disabled users are refused from the next request on")
    func keyStates() async throws {
        try await LiveServer.run { server in
            let bob = try await server.addUser("bob")
            let listBuckets = { (credentials: OSSCredentials) in
                try await server.send(.get, bucket: nil, signing: .v1As(credentials))
            }
            #expect(try await listBuckets(bob.credentials).status == .ok)

            try await server.storage.identities.setAccessKeyActive(id: bob.credentials.accessKeyID, false)
            try await server.keyring.reload(from: server.storage.identities)
            let disabled = try await listBuckets(bob.credentials)
            #expect(disabled.status == .forbidden && disabled.errorCode == "InvalidAccessKeyId")
            #expect(disabled.bodyText.contains("disabled"))
            // A wrong signature with a disabled key says nothing of the key.
            let forged = try await listBuckets(OSSCredentials(accessKeyID: bob.credentials.accessKeyID, secret: "guess"))
            #expect(forged.errorCode == "SignatureDoesNotMatch")

            try await server.storage.identities.setAccessKeyActive(id: bob.credentials.accessKeyID, true)
            let second = try await server.storage.identities.addAccessKey(user: "bob")
            try await server.storage.identities.deleteAccessKey(id: bob.credentials.accessKeyID)
            try await server.keyring.reload(from: server.storage.identities)
            #expect(try await listBuckets(bob.credentials).errorCode == "InvalidAccessKeyId")
            let fresh = OSSCredentials(accessKeyID: second.id, secret: second.secret)
            #expect(try await listBuckets(fresh).status == .ok)

            try await server.storage.identities.setUserDisabled(named: "bob", true)
            try await server.keyring.reload(from: server.storage.identities)
            #expect(try await listBuckets(fresh).errorCode == "InvalidAccessKeyId")
            // The server's own pair always works: it is how the operator gets back in.
            #expect(try await server.send(.get, bucket: nil).status == .ok)
        }
    }

    static func keys(_ xml: String) -> [String] {
        xml.components(separatedBy: "<Key>").dropFirst().compactMap { $0.components(separatedBy: "</Key>").first }
    }

    static func bucketNames(_ xml: String) -> [String] {
        xml.components(separatedBy: "<Name>").dropFirst().compactMap { $0.components(separatedBy: "</Name>").first }
    }
}

@Suite("User administration")
struct UserAdministrationTests {
    @Test("names are checked, duplicates refused, a user owning buckets or the owner cannot be deleted")
    func rules() async throws {
        try await withStorage { storage, _ in
            for bad in ["", "with space", String(repeating: "a", count: 65), "slash/name", "ünicode"] {
                await #expect(throws: StorageError.self, "\(bad)") { _ = try await storage.identities.addUser(named: bad) }
            }
            let (bob, key) = try await storage.identities.addUser(named: "bob.smith@example")
            #expect(bob.id.count == 16 && bob.id.allSatisfy(\.isNumber) && bob.id != storage.owner.id)
            #expect(key.id.hasPrefix("LTAI") && key.id.count == 24 && key.secret.count == 30 && key.userID == bob.id)
            await #expect(throws: StorageError.userAlreadyExists(name: "bob.smith@example")) {
                _ = try await storage.identities.addUser(named: "bob.smith@example")
            }
            _ = try await storage.createBucket("bobs", owner: bob.id, location: "oss-test")
            await #expect(throws: StorageError.userOwnsBuckets(name: "bob.smith@example", count: 1)) {
                try await storage.identities.deleteUser(named: "bob.smith@example")
            }
            await #expect(throws: StorageError.self) { try await storage.identities.deleteUser(named: "owner") }
            try await storage.deleteBucket("bobs")
            try await storage.identities.deleteUser(named: "bob.smith@example")
            #expect(try await storage.identities.users().map(\.name) == ["owner"])
            #expect(try await storage.identities.accessKeys().isEmpty, "a user's keys go with it")
            await #expect(throws: StorageError.noSuchAccessKey(id: key.id)) { try await storage.identities.deleteAccessKey(id: key.id) }
            await #expect(throws: StorageError.noSuchUser(name: "bob")) { try await storage.identities.setUserDisabled(named: "bob", true) }
        }
    }
}

/// Temporary credentials issued by the server: they sign for their user, never beyond their
/// session policy, and stop at expiry or revocation.
@Suite("Issued temporary credentials over HTTP")
struct IssuedCredentialsOverHTTPTests {
    static func issue(_ server: LiveServer, user: String, policy: String?, duration: TimeInterval = 3600) async throws
        -> OSSCredentials
    {
        let issued = try await server.storage.identities.issueTemporaryCredentials(user: user, policy: policy, duration: duration)
        try await server.keyring.reload(from: server.storage.identities)
        return OSSCredentials(accessKeyID: issued.id, secret: issued.secret, securityToken: issued.securityToken)
    }

    @Test("rights are the intersection of the user's and the session policy's")
    func intersection() async throws {
        try await LiveServer.run { server in
            try await server.put("owners", [1])
            let bob = try await server.addUser("bob")
            #expect(try await server.send(.put, bucket: "bob-bkt", signing: .v1As(bob.credentials)).status == .ok)
            let session = try await Self.issue(server, user: "bob", policy: #"""
                {"Version":"1","Statement":[
                 {"Effect":"Allow","Action":["oss:GetObject","oss:PutObject"],"Resource":["acs:oss:*:*:bob-bkt/public/*"]},
                 {"Effect":"Allow","Action":"oss:*","Resource":["acs:oss:*:*:bkt","acs:oss:*:*:bkt/*"]}]}
                """#)
            let signing = Signing.v1As(session)
            #expect(try await server.send(.put, bucket: "bob-bkt", key: "public/x", body: [7], signing: signing).status == .ok)
            #expect(try await server.send(.get, bucket: "bob-bkt", key: "public/x", signing: signing).bytes == [7])
            for (method, key) in [(HTTPRequest.Method.put, "private/y"), (.get, "private/y")] {
                let response = try await server.send(method, bucket: "bob-bkt", key: key, body: method == .put ? [1] : nil, signing: signing)
                #expect(response.status == .forbidden && response.bodyText.contains("session policy"), "\(method) \(key)")
            }
            #expect(try await server.send(.get, bucket: "bob-bkt", signing: signing).status == .forbidden, "listing is not in the session")
            #expect(try await server.send(.get, bucket: nil, signing: signing).status == .forbidden, "nor is ListBuckets")
            // The session allows everything on the owner's bucket, bob himself nothing.
            #expect(try await server.send(.get, key: "owners", signing: signing).status == .forbidden)
            // Bob's own key is not narrowed by his sessions.
            #expect(try await server.send(.get, bucket: "bob-bkt", signing: .v1As(bob.credentials)).status == .ok)
            // Without a session policy, credentials carry all of their user's rights.
            let whole = try await Self.issue(server, user: "bob", policy: nil)
            #expect(try await server.send(.get, bucket: "bob-bkt", signing: .v1As(whole)).status == .ok)
            #expect(try await server.send(.get, key: "owners", signing: .v1As(whole)).status == .forbidden)
        }
    }

    @Test("they need their token, and stop at expiry, at revocation and when their user is disabled")
    func endOfLife() async throws {
        try await LiveServer.run { server in
            _ = try await server.addUser("bob")
            let short = try await Self.issue(server, user: "bob", policy: nil, duration: 1)
            let untokened = OSSCredentials(accessKeyID: short.accessKeyID, secret: short.secret)
            #expect(try await server.send(.get, bucket: nil, signing: .v1As(untokened)).errorCode == "InvalidSecurityToken")
            try await Task.sleep(for: .milliseconds(2100))
            #expect(try await server.send(.get, bucket: nil, signing: .v1As(short)).errorCode == "SecurityTokenExpired")

            let revocable = try await Self.issue(server, user: "bob", policy: nil)
            #expect(try await server.send(.get, bucket: nil, signing: .v1As(revocable)).status == .ok)
            try await server.storage.identities.revokeTemporaryCredential(id: revocable.accessKeyID)
            try await server.keyring.reload(from: server.storage.identities)
            let revoked = try await server.send(.get, bucket: nil, signing: .v1As(revocable))
            #expect(revoked.errorCode == "InvalidSecurityToken" && revoked.bodyText.contains("revoked"))

            let another = try await Self.issue(server, user: "bob", policy: nil)
            try await server.storage.identities.setUserDisabled(named: "bob", true)
            try await server.keyring.reload(from: server.storage.identities)
            #expect(try await server.send(.get, bucket: nil, signing: .v1As(another)).errorCode == "InvalidAccessKeyId")
        }
    }

    @Test("a bad session policy, duration or user is refused when issuing")
    func refusals() async throws {
        try await withStorage { storage, _ in
            _ = try await storage.identities.addUser(named: "bob")
            await #expect(throws: StorageError.self) {
                _ = try await storage.identities.issueTemporaryCredentials(user: "bob", policy: "{}", duration: 60)
            }
            let withPrincipal = #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Principal":"*","Resource":"acs:oss:*:*:*"}]}"#
            await #expect(throws: StorageError.self) {
                _ = try await storage.identities.issueTemporaryCredentials(user: "bob", policy: withPrincipal, duration: 60)
            }
            await #expect(throws: StorageError.self) {
                _ = try await storage.identities.issueTemporaryCredentials(user: "bob", policy: nil, duration: 13 * 3600)
            }
            await #expect(throws: StorageError.noSuchUser(name: "carol")) {
                _ = try await storage.identities.issueTemporaryCredentials(user: "carol", policy: nil, duration: 60)
            }
            #expect(try await storage.identities.temporaryCredentials().isEmpty)
        }
    }
}
