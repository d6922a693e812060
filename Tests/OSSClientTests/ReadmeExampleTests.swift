import Foundation
import OSSClient
import Testing

/// The README's SDK example, compiled and run against a real server. Keep the body of
/// `readmeExample` identical to the README snippet (only the endpoint, the key pair and the
/// folder come in as parameters here).
@Suite("README example")
struct ReadmeExampleTests {
    static func readmeExample(endpoint: String, environment: [String: String], folder: URL) async throws {
        let client = try OSSClient(
            endpoint: endpoint, credentials: OSSEnvironmentCredentialsProvider(environment: environment))
        do {
            // One PutObject; the CRC-64 goes along, so a damaged body is refused, not stored.
            let put = try await client.putObject(
                OSSPutObjectRequest(bucket: "bkt", key: "hello.txt", body: .bytes(Array("hello, oss".utf8))))
            print(put.crcVerification)  // verified(11726769516912404153)

            // Large files: parallel parts, resumable after a crash, whole-object CRC checked.
            let uploader = OSSUploader(
                client: client,
                options: OSSUploaderOptions(checkpointDirectory: folder.appendingPathComponent(".checkpoints")))
            let upload = try await uploader.upload(
                file: folder.appendingPathComponent("backup.tar"), bucket: "bkt", key: "backup.tar")

            // Parallel ranged download, written in place, renamed into place only when verified.
            let download = try await OSSDownloader(client: client).download(
                bucket: "bkt", key: "backup.tar", to: folder.appendingPathComponent("restored.tar"))
            print(upload.crcVerification, download.crcVerification)

            for try await page in client.listObjectsV2Pages(OSSListObjectsV2Request(bucket: "bkt", prefix: "backup")) {
                for object in page.contents { print(object.key, object.size) }
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("The README example runs and verifies every transfer")
    func example() async throws {
        try await TestServer.run { server in
            let (_, bytes) = try server.makeFile("backup.tar", size: 20_000_000, seed: 77)
            try await Self.readmeExample(
                endpoint: server.endpoint,
                environment: [
                    "OSS_ACCESS_KEY_ID": TestServer.credentials.accessKeyID,
                    "OSS_ACCESS_KEY_SECRET": TestServer.credentials.secret,
                ],
                folder: server.scratch)
            let restored = try Data(contentsOf: server.scratch.appendingPathComponent("restored.tar"))
            #expect(TestBytes.crc(Array(restored)) == TestBytes.crc(bytes))
            let hello = try await server.client.getObject(bucket: "bkt", key: "hello.txt")
            #expect(hello.crcVerification == .verified(11_726_769_516_912_404_153))
        }
    }
}
