import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import OSSClient
@testable import OSSServer
import Testing

/// `oss serve --tls-certificate --tls-key`: HTTPS with a chain the client really verifies, a
/// certificate that can be replaced while the server runs, and plain HTTP told where to go.
@Suite("HTTPS")
struct TLSTests {
    static let bucket = TestServer.bucket

    /// A fresh CA, its server certificate, and a folder removed afterwards.
    static func withCertificates<T>(_ body: (TestCertificateAuthority, OSSTLSFiles) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swift-oss-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let authority = try TestCertificateAuthority(in: folder)
        return try await body(authority, try authority.issueServerCertificate().files)
    }

    @Test("the Swift SDK trusting the test CA puts, lists and gets over HTTPS, in one request and in parts, every CRC-64 verified")
    func sdkOverHTTPS() async throws {
        try await Self.withCertificates { authority, files in
            try await TestServer.run(tls: files, trustedRoots: try .pemFile(authority.bundle)) { server in
                #expect(server.endpoint.hasPrefix("https://"))
                let bytes = TestBytes.random(count: 300_000, seed: 11)
                let put = try await server.client.putObject(
                    OSSPutObjectRequest(bucket: Self.bucket, key: "secure", body: .bytes(bytes)))
                #expect(put.crcVerification == .verified(TestBytes.crc(bytes)))
                let get = try await server.client.getObject(bucket: Self.bucket, key: "secure")
                #expect(get.body == bytes)
                #expect(get.crcVerification == .verified(TestBytes.crc(bytes)))

                let (file, large) = try server.makeFile("large.bin", size: 1_050_000, seed: 12)
                let uploaded = try await OSSUploader(
                    client: server.client,
                    options: OSSUploaderOptions(partSize: 100 << 10, multipartThreshold: 200_000, concurrency: 4)
                ).upload(file: file, bucket: Self.bucket, key: "parts")
                #expect(uploaded.partCount == 11)
                #expect(uploaded.crcVerification == .verified(TestBytes.crc(large)))
                #expect(try await server.client.getObject(bucket: Self.bucket, key: "parts").body == large)
                let listing = try await server.client.listObjectsV2(OSSListObjectsV2Request(bucket: Self.bucket))
                #expect(listing.contents.map(\.key) == ["parts", "secure"])
            }
        }
    }

    @Test("a client that trusts only the system's CAs refuses the server's certificate: verification is never skipped")
    func untrustedCertificateRefused() async throws {
        try await Self.withCertificates { _, files in
            try await TestServer.run(tls: files) { server in
                let error = await #expect(throws: OSSClientError.self) {
                    _ = try await server.client.putObject(
                        OSSPutObjectRequest(bucket: Self.bucket, key: "never", body: .bytes([1, 2, 3])))
                }
                let failure = try #require(error?.transportFailure, "\(String(describing: error))")
                #expect(failure.kind == .tls)
                // Asking again cannot make the certificate trusted: one attempt, one line.
                #expect(failure.attempts == 1)
                #expect(failure.description == "cannot connect to \(server.endpoint): its TLS certificate is not trusted; "
                    + "if a private CA issued it, trust that CA (oss --ca-bundle FILE; OSSTrustedRoots.pemFile in the SDK)")
            }
        }
    }

    @Test("https:// to a server that speaks plain HTTP fails at once, saying to use http://")
    func httpsToPlainServer() async throws {
        try await TestServer.run { server in
            let client = TestServer.client(port: server.port, endpoint: "https://127.0.0.1:\(server.port)")
            let error = await #expect(throws: OSSClientError.self) { _ = try await client.listBuckets() }
            try await client.shutdown()
            let failure = try #require(error?.transportFailure, "\(String(describing: error))")
            #expect(failure.kind == .tls)
            #expect(failure.attempts == 1)
            #expect(failure.description == "cannot connect to https://127.0.0.1:\(server.port): the server does not speak TLS there; use an http:// endpoint")
        }
    }

    @Test("plain HTTP sent to the HTTPS port is answered with a 400 InvalidRequest saying to use https://, not a reset")
    func plainHTTPToldToUseHTTPS() async throws {
        try await Self.withCertificates { _, files in
            try await TestServer.run(tls: files) { server in
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                defer { _ = http.shutdown() }
                let response = try await http.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/\(Self.bucket)/x"), timeout: .seconds(20))
                let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
                #expect(response.status.code == 400)
                #expect(body.contains("<Code>InvalidRequest</Code>"))
                #expect(body.contains("https://"))
            }
        }
    }

    @Test("a certificate and key that cannot be served stop the start with one line naming the file")
    func badFilesRefused() async throws {
        try await Self.withCertificates { authority, files in
            let other = try authority.issueServerCertificate("other").files
            let mismatched = OSSTLSFiles(certificate: files.certificate, key: other.key)
            #expect(throws: ServerCertificateError.self) { try ServerCertificate(mismatched) }
            do throws(ServerCertificateError) {
                _ = try ServerCertificate(mismatched)
            } catch {
                #expect(error.description.contains("--tls-key \(other.key) does not go with --tls-certificate \(files.certificate)"))
                #expect(!error.description.contains("\n"))
            }
            let missing = authority.folder.appendingPathComponent("missing.pem").path
            #expect(throws: ServerCertificateError.unreadableCertificate(path: missing, reason: "failedToLoadCertificate")) {
                try ServerCertificate(OSSTLSFiles(certificate: missing, key: files.key))
            }
            let notAKey = files.certificate
            do throws(ServerCertificateError) {
                _ = try ServerCertificate(OSSTLSFiles(certificate: files.certificate, key: notAKey))
                Issue.record("a certificate given as the key was accepted")
            } catch {
                guard case .unreadableKey(let path, _) = error else {
                    Issue.record("not an unreadable key: \(error)")
                    return
                }
                #expect(path == notAKey)
            }
            // The server itself refuses to start, before it listens.
            var configuration = OSSServerConfiguration(
                host: "127.0.0.1", port: 0, dataDirectory: authority.folder.appendingPathComponent("data"),
                credentials: TestServer.credentials)
            configuration.tls = mismatched
            await #expect(throws: ServerCertificateError.self) {
                try await OSSServer(configuration: configuration, logger: .init(label: "tls-test")).run { _, _ in
                    Issue.record("listened with a key that does not match its certificate")
                }
            }
            #expect(!FileManager.default.fileExists(atPath: authority.folder.appendingPathComponent("data").path))
        }
    }

    @Test("a reload serves the renewed certificate to new connections, and one that fails keeps the previous certificate")
    func reload() async throws {
        try await Self.withCertificates { authority, files in
            let served = try ServerCertificate(files)
            let first = served.context
            // A renewal writes new files in place, then signals.
            let renewed = try authority.issueServerCertificate("renewed")
            try FileManager.default.removeItem(atPath: files.certificate)
            try FileManager.default.copyItem(atPath: renewed.files.certificate, toPath: files.certificate)
            try FileManager.default.removeItem(atPath: files.key)
            try FileManager.default.copyItem(atPath: renewed.files.key, toPath: files.key)
            try served.reload()
            let second = served.context
            #expect(first !== second)
            // Half-written files: the reload fails and the renewed certificate stays.
            try "-----BEGIN CERTIFICATE-----\n".write(toFile: files.certificate, atomically: true, encoding: .utf8)
            #expect(throws: ServerCertificateError.self) { try served.reload() }
            #expect(served.context === second)
        }
    }
}
