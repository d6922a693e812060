import AsyncHTTPClient
import Foundation
import NIOCore
import OSSClient
import Testing

@Suite("Bucket CORS rules from the SDK")
struct CORSTests {
    @Test("put, get and delete rules; a browser's preflight follows them")
    func rules() async throws {
        try await TestServer.run { server in
            let bucket = TestServer.bucket
            let configuration = OSSCORSConfiguration(rules: [
                .init(
                    allowedOrigins: ["https://*.example.com"], allowedMethods: ["POST", "PUT"], allowedHeaders: ["*"],
                    exposeHeaders: ["x-oss-hash-crc64ecma"], maxAgeSeconds: 60),
            ])
            try await server.client.putBucketCORS(bucket, configuration: configuration)
            #expect(try await server.client.getBucketCORS(bucket) == configuration)

            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }
            var preflight = HTTPClientRequest(url: "\(server.endpoint)/\(bucket)/")
            preflight.method = .OPTIONS
            preflight.headers.add(name: "Origin", value: "https://upload.example.com")
            preflight.headers.add(name: "Access-Control-Request-Method", value: "POST")
            preflight.headers.add(name: "Access-Control-Request-Headers", value: "content-type")
            let allowed = try await http.execute(preflight, timeout: .seconds(30))
            #expect(allowed.status == .ok)
            #expect(allowed.headers.first(name: "Access-Control-Allow-Origin") == "https://upload.example.com")
            #expect(allowed.headers.first(name: "Access-Control-Max-Age") == "60")

            try await server.client.deleteBucketCORS(bucket)
            let error = await #expect(throws: OSSClientError.self) { try await server.client.getBucketCORS(bucket) }
            guard let service = error?.serviceError else {
                Issue.record("expected a service error, got \(String(describing: error))")
                return
            }
            #expect(service.code == "NoSuchCORSConfiguration")
            #expect(try await http.execute(preflight, timeout: .seconds(30)).status == .forbidden)
        }
    }
}
