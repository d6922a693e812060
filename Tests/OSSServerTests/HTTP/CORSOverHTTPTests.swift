import Foundation
import HTTPTypes
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("CORS over HTTP: bucket rules, preflights and the headers of actual requests")
struct CORSOverHTTPTests {
    static let rules = OSSCORSConfiguration(rules: [
        .init(
            allowedOrigins: ["https://app.example.com"], allowedMethods: ["PUT", "GET"], allowedHeaders: ["content-type", "x-oss-*"],
            exposeHeaders: ["ETag", "x-oss-hash-crc64ecma"], maxAgeSeconds: 300),
    ])

    @Test func rulesPreflightsAndActualRequests() async throws {
        try await LiveServer.run { server in
            let cors = [OSSQueryItem(name: "cors", value: "")]
            // No rules yet: GetBucketCors is 404, and every preflight is refused.
            let none = try await server.send(.get, query: cors)
            #expect(none.status == .notFound)
            #expect(String(buffer: none.body).contains("<Code>NoSuchCORSConfiguration</Code>"))
            let early = try await server.send(
                .options, key: "k", headers: [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PUT")],
                signing: .anonymous)
            #expect(early.status == .forbidden)

            // Only the owner may set, read or delete the rules.
            let body = Array(Self.rules.xml.utf8)
            #expect(try await server.send(.put, query: cors, body: body, signing: .anonymous).status == .forbidden)
            #expect(try await server.send(.put, query: cors, body: body).status == .ok)
            let stored = try await server.send(.get, query: cors)
            #expect(try OSSCORSConfiguration(parsing: Array(buffer: stored.body)) == Self.rules)

            // An allowed preflight, unsigned as browsers send it.
            let allowed = try await server.send(
                .options, key: "photos/cat.jpg",
                headers: [
                    ("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PUT"),
                    ("Access-Control-Request-Headers", "Content-Type, x-oss-meta-owner"),
                ], signing: .anonymous)
            #expect(allowed.status == .ok)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(allowed.headers[.accessControlAllowMethods] == "PUT, GET")
            #expect(allowed.headers[.accessControlAllowHeaders] == "content-type, x-oss-meta-owner")
            #expect(allowed.headers[.accessControlExposeHeaders] == "ETag, x-oss-hash-crc64ecma")
            #expect(allowed.headers[.accessControlMaxAge] == "300")
            #expect(allowed.headers[.vary] == "Origin")

            // Refused: another origin, method or header; a preflight without its headers is a 400.
            for headers in [
                [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "PUT")],
                [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "DELETE")],
                [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "authorization")],
            ] {
                let refused = try await server.send(.options, key: "k", headers: headers, signing: .anonymous)
                #expect(refused.status == .forbidden, "\(headers)")
                #expect(String(buffer: refused.body).contains("<Code>AccessForbidden</Code>"))
                #expect(refused.headers[.accessControlAllowOrigin] == nil)
            }
            #expect(try await server.send(.options, key: "k", headers: [("Origin", "https://app.example.com")], signing: .anonymous).status == .badRequest)
            #expect(try await server.send(.options, bucket: "nope", key: "k", headers: [("Origin", "https://a"), ("Access-Control-Request-Method", "GET")], signing: .anonymous).status == .notFound)

            // Actual requests from an allowed origin carry the headers, errors included.
            let put = try await server.send(.put, key: "k", headers: [("Origin", "https://app.example.com")], body: [1, 2, 3])
            #expect(put.status == .ok)
            #expect(put.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(put.headers[.accessControlExposeHeaders] == "ETag, x-oss-hash-crc64ecma")
            let missing = try await server.send(.get, key: "missing", headers: [("Origin", "https://app.example.com")])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.accessControlAllowOrigin] == "https://app.example.com")
            let other = try await server.send(.get, key: "k", headers: [("Origin", "https://evil.example")])
            #expect(other.status == .ok)
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            #expect(try await server.send(.get, key: "k").headers[.accessControlAllowOrigin] == nil)

            // Deleted rules refuse preflights again.
            #expect(try await server.send(.delete, query: cors).status == .noContent)
            #expect(try await server.send(.get, query: cors).status == .notFound)
            let after = try await server.send(
                .options, key: "k", headers: [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PUT")],
                signing: .anonymous)
            #expect(after.status == .forbidden)
        }
    }

    @Test func malformedRulesAreRefusedAndNothingIsStored() async throws {
        try await LiveServer.run { server in
            let cors = [OSSQueryItem(name: "cors", value: "")]
            let bad = Array("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>".utf8)
            let refused = try await server.send(.put, query: cors, body: bad)
            #expect(refused.status == .badRequest)
            #expect(try await server.send(.get, query: cors).status == .notFound)
        }
    }
}
