import Foundation
import OSSClient
import Testing

@Suite("Client configuration")
struct ConfigurationTests {
    @Test("IP literals and localhost use path style and default to http")
    func localEndpoints() throws {
        let ip = try OSSEndpoint("127.0.0.1:9000")
        #expect(ip.scheme == "http")
        #expect(ip.host == "127.0.0.1")
        #expect(ip.port == 9000)
        #expect(ip.style == .path)
        #expect(try OSSEndpoint("http://localhost:9000").style == .path)
        let v6 = try OSSEndpoint("http://[::1]:9000")
        #expect(v6.host == "::1")
        #expect(v6.style == .path)
    }

    @Test("Host names are virtual-hosted and default to https; the style can be forced")
    func namedEndpoints() throws {
        let named = try OSSEndpoint("oss-cn-hangzhou.aliyuncs.com")
        #expect(named.scheme == "https")
        #expect(named.style == .virtualHosted)
        #expect(try OSSEndpoint("http://oss.local:9000", addressing: .path).style == .path)
        #expect(try OSSEndpoint("http://localhost:9000", addressing: .virtualHosted).style == .virtualHosted)
    }

    @Test("Malformed endpoints are refused with a message naming the fix")
    func badEndpoints() {
        for text in ["ftp://example.com", "http://example.com/path", "http://", "http://127.0.0.1:9000?x=1"] {
            #expect(throws: OSSClientError.self) { try OSSEndpoint(text) }
        }
        #expect(throws: OSSClientError.self) { try OSSEndpoint("http://127.0.0.1", addressing: .virtualHosted) }
    }

    @Test("The environment provider reads OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET")
    func environmentCredentials() async throws {
        let provider = OSSEnvironmentCredentialsProvider(
            environment: ["OSS_ACCESS_KEY_ID": "id", "OSS_ACCESS_KEY_SECRET": "secret"])
        #expect(try await provider.credentials() == OSSCredentials(accessKeyID: "id", secret: "secret"))
        let missing = OSSEnvironmentCredentialsProvider(environment: ["OSS_ACCESS_KEY_ID": "id"])
        await #expect(throws: OSSClientError.self) { try await missing.credentials() }
    }

    @Test("The refreshing provider caches keys until they are about to expire")
    func refreshingCredentials() async throws {
        let calls = Counter()
        let provider = OSSRefreshingCredentialsProvider(refreshMargin: 60) {
            let n = await calls.increment()
            // The first key expires inside the margin, so the next call must fetch again;
            // the second lives long, so it is cached.
            let lifetime: TimeInterval = n == 1 ? 30 : 3600
            return .init(
                credentials: OSSCredentials(accessKeyID: "key\(n)", secret: "s"),
                expiration: Date().addingTimeInterval(lifetime))
        }
        #expect(try await provider.credentials().accessKeyID == "key1")
        #expect(try await provider.credentials().accessKeyID == "key2")
        #expect(try await provider.credentials().accessKeyID == "key2")
        #expect(await calls.value == 2)
    }
}

actor Counter {
    private(set) var value = 0

    func increment() -> Int {
        value += 1
        return value
    }

    func reset() {
        value = 0
    }
}
