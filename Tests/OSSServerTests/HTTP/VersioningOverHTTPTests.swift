import Foundation
import HTTPTypes
import OSSProtocol
import Testing

@testable import OSSServer

/// The wire shapes of versioning that Alibaba's Swift SDK v2 reads (its sources are the judge):
/// the version headers of writes, reads and deletes, the answers for delete markers (404 on the
/// latest, 405 with `Allow: DELETE` by id, both with the marker headers, also on HEAD through
/// `x-oss-err`), and the GetBucketVersioning document before and after.
@Suite struct VersioningOverHTTPTests {
    @Test func versionHeadersAndDeleteMarkerAnswers() async throws {
        try await LiveServer.run { server in
            let unset = try await server.send(.get, query: [OSSQueryItem(name: "versioning")])
            #expect(unset.status == .ok && !unset.bodyText.contains("<Status>"))
            #expect(unset.bodyText.contains("<VersioningConfiguration"))
            let plain = try await server.put("k", [1])
            #expect(plain.status == .ok && plain.header("x-oss-version-id") == nil)

            let enable = Array("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>".utf8)
            #expect(try await server.send(.put, query: [OSSQueryItem(name: "versioning")], body: enable).status == .ok)
            let set = try await server.send(.get, query: [OSSQueryItem(name: "versioning")])
            #expect(set.bodyText.contains("<Status>Enabled</Status>"))
            let bad = Array("<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>".utf8)
            #expect(try await server.send(.put, query: [OSSQueryItem(name: "versioning")], body: bad).errorCode == "MalformedXML")

            let written = try await server.put("k", [2])
            let versionID = try #require(written.header("x-oss-version-id"))
            // The object written before versioning is now the null version.
            let null = try await server.send(.get, key: "k", query: [OSSQueryItem(name: "versionId", value: "null")])
            #expect(null.bytes == [1] && null.header("x-oss-version-id") == "null")
            #expect(try await server.send(.head, key: "k").header("x-oss-version-id") == versionID)

            let deleted = try await server.send(.delete, key: "k")
            #expect(deleted.status == .noContent && deleted.header("x-oss-delete-marker") == "true")
            let markerID = try #require(deleted.header("x-oss-version-id"))
            for method in [HTTPRequest.Method.get, .head] {
                let latest = try await server.send(method, key: "k")
                #expect(latest.status == .notFound && latest.errorCode == "NoSuchKey", "\(method)")
                #expect(latest.header("x-oss-delete-marker") == "true" && latest.header("x-oss-version-id") == markerID)
                let named = try await server.send(method, key: "k", query: [OSSQueryItem(name: "versionId", value: markerID)])
                #expect(named.status == .methodNotAllowed && named.errorCode == "MethodNotAllowed", "\(method)")
                #expect(named.header("allow") == "DELETE" && named.header("x-oss-delete-marker") == "true")
            }
            let named = try await server.send(.get, key: "k", query: [OSSQueryItem(name: "versionId", value: markerID)])
            #expect(named.bodyText.contains("<Method>GET</Method>") && named.bodyText.contains("<ResourceType>DeleteMarker</ResourceType>"))

            let gone = try await server.send(.delete, key: "k", query: [OSSQueryItem(name: "versionId", value: versionID)])
            #expect(gone.status == .noContent && gone.header("x-oss-version-id") == versionID && gone.header("x-oss-delete-marker") == nil)
            let missing = try await server.send(.get, key: "k", query: [OSSQueryItem(name: "versionId", value: versionID)])
            #expect(missing.status == .notFound && missing.errorCode == "NoSuchVersion")
            let malformed = try await server.send(.get, key: "k", query: [OSSQueryItem(name: "versionId", value: "234")])
            #expect(malformed.status == .badRequest && malformed.errorCode == "InvalidArgument")
        }
    }

    /// A private bucket tells an anonymous caller nothing of its delete markers or versions; a
    /// public version of a private object is readable by its id, and only that version.
    @Test func anonymousCallersMeetTheACLOfTheVersionTheyName() async throws {
        try await LiveServer.run { server in
            let enable = Array("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>".utf8)
            try await server.send(.put, query: [OSSQueryItem(name: "versioning")], body: enable)
            let open = try #require(try await server.put("k", [1]).header("x-oss-version-id"))
            try await server.put("k", [2])
            let acl = try await server.send(
                .put, key: "k", query: [OSSQueryItem(name: "acl"), OSSQueryItem(name: "versionId", value: open)],
                headers: [("x-oss-object-acl", "public-read")])
            #expect(acl.status == .ok && acl.header("x-oss-version-id") == open)

            let byID = try await server.send(.get, key: "k", query: [OSSQueryItem(name: "versionId", value: open)], signing: .anonymous)
            #expect(byID.status == .ok && byID.bytes == [1])
            #expect(try await server.send(.get, key: "k", signing: .anonymous).errorCode == "AccessDenied")
            let meta = try await server.send(
                .head, key: "k", query: [OSSQueryItem(name: "objectMeta"), OSSQueryItem(name: "versionId", value: open)],
                signing: .anonymous)
            #expect(meta.status == .ok && meta.header("x-oss-version-id") == open)

            try await server.send(.delete, key: "k")
            for query in [[], [OSSQueryItem(name: "versionId", value: ObjectVersionID.make(rowID: 999))]] {
                let hidden = try await server.send(.get, key: "k", query: query, signing: .anonymous)
                #expect(hidden.errorCode == "AccessDenied" && hidden.header("x-oss-delete-marker") == nil, "\(query)")
            }
        }
    }
}
