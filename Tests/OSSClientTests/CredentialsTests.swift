import NIOConcurrencyHelpers
import OSSClient
import Testing

@Suite("Credential providers against a real server")
struct CredentialsTests {
    @Test("A closure provider is asked before every request, so rotated keys take effect at once")
    func rotation() async throws {
        try await TestServer.run { server in
            let secret = NIOLockedValueBox("wrong-secret")
            let configuration = OSSClientConfiguration(
                endpoint: try OSSEndpoint(server.endpoint),
                credentials: .closure {
                    OSSCredentials(accessKeyID: TestServer.credentials.accessKeyID, secret: secret.withLockedValue { $0 })
                },
                retry: .none)
            let client = OSSClient(configuration: configuration)
            let refused = await #expect(throws: OSSClientError.self) { try await client.listBuckets() }
            #expect(refused?.serviceCode == "SignatureDoesNotMatch")
            secret.withLockedValue { $0 = TestServer.credentials.secret }
            #expect(try await client.listBuckets().buckets.map(\.name) == ["bkt"])
            try await client.shutdown()
        }
    }

    @Test("A provider that fails makes the request fail with its error, before anything is sent")
    func failingProvider() async throws {
        try await TestServer.run { server in
            let configuration = OSSClientConfiguration(
                endpoint: try OSSEndpoint(server.endpoint),
                credentials: OSSEnvironmentCredentialsProvider(environment: [:]))
            let client = OSSClient(configuration: configuration)
            let error = await #expect(throws: OSSClientError.self) { try await client.listBuckets() }
            guard error?.code == .credentialsUnavailable, let message = error?.message else {
                Issue.record("expected the provider's error, got \(String(describing: error))")
                try await client.shutdown()
                return
            }
            #expect(message.contains("OSS_ACCESS_KEY_ID"))
            try await client.shutdown()
        }
    }
}
