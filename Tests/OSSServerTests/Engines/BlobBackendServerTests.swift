import CRC64
import Foundation
import HTTPTypes
import Testing

@testable import OSSServer

/// The server configured with an S3 blob backend, over HTTP.
@Suite(
    "Server with its blobs in SeaweedFS", .serialized,
    .enabled(if: SeaweedFSServer.binary != nil, Comment(rawValue: SeaweedFSServer.missing)))
struct BlobBackendServerTests {
    @Test("objects written over HTTP land in the backend and read back; with the backend gone, writes answer 503")
    func objectsOverHTTP() async throws {
        try await withSeaweedFS(bucket: "oss-blobs") { weed, backend in
            try await LiveServer.run(blobBackend: backend) { server in
                let body = testBytes(300_000, seed: 9)
                let put = try await server.put("k", body)
                #expect(put.status == .ok)
                #expect(put.header("x-oss-hash-crc64ecma") == String(referenceCRC(body)))
                #expect(try await server.send(.get, key: "k").bytes == body)
                let stored = try await backend.list(prefix: S3BlobStore.prefix).keys
                #expect(stored.count == 1, "one blob in the backend: \(stored)")
                #expect(try await backend.size(of: stored.first ?? "") == body.count)
                // Inline bodies stay in the metadata, as with blob files.
                #expect(try await server.put("small", [1, 2, 3]).status == .ok)
                #expect(try await backend.list(prefix: S3BlobStore.prefix).keys.count == 1)

                weed.stop()
                let refused = try await server.put("later", testBytes(200_000, seed: 10))
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.errorCode == "ServiceUnavailable")
                #expect(try await server.send(.head, key: "later").status == .notFound, "nothing was stored")
            }
        }
    }
}

@Suite("Blob backend settings")
struct BlobBackendSettingsTests {
    @Test("s3://BUCKET and an http(s) endpoint are parsed; each mistake names the fix")
    func parsing() throws {
        let backend = try OSSBlobBackend(location: "s3://oss-blobs", endpoint: "http://127.0.0.1:8333", accessKeyID: "k", secret: "s")
        #expect(backend.bucket == "oss-blobs" && backend.host == "127.0.0.1" && backend.port == 8333 && backend.scheme == "http")
        #expect(try OSSBlobBackend(location: "s3://b-1.x", endpoint: "https://s3.example.com", accessKeyID: "k", secret: "s").port == 443)
        #expect(throws: OSSBlobBackendError.badLocation("oss-blobs")) {
            try OSSBlobBackend(location: "oss-blobs", endpoint: "http://h:1", accessKeyID: "k", secret: "s")
        }
        #expect(throws: OSSBlobBackendError.badLocation("s3://Upper")) {
            try OSSBlobBackend(location: "s3://Upper", endpoint: "http://h:1", accessKeyID: "k", secret: "s")
        }
        #expect(throws: OSSBlobBackendError.badEndpoint("ftp://h")) {
            try OSSBlobBackend(location: "s3://bkt", endpoint: "ftp://h", accessKeyID: "k", secret: "s")
        }
        #expect(throws: OSSBlobBackendError.badEndpoint("http://h:1/path")) {
            try OSSBlobBackend(location: "s3://bkt", endpoint: "http://h:1/path", accessKeyID: "k", secret: "s")
        }
        #expect(throws: OSSBlobBackendError.missingCredentials) {
            try OSSBlobBackend(location: "s3://bkt", endpoint: "http://h:1", accessKeyID: "", secret: "s")
        }
        #expect(OSSBlobBackendError.missingCredentials.description.contains("OSS_BLOBS_ACCESS_KEY_ID"))
        let described = "\(try OSSBlobBackend(location: "s3://bkt", endpoint: "http://h:1", accessKeyID: "KEY", secret: "SECRET"))"
        #expect(described.contains("KEY") && !described.contains("SECRET"), "the secret never appears in logs: \(described)")
    }
}
