import OSSClient
import Testing

@Suite("Listing and paginators")
struct ListingTests {
    static let keys = ["a/1", "a/2", "a/b/3", "c d+e", "z%25"]

    func seed(_ client: OSSClient) async throws {
        for key in Self.keys {
            _ = try await client.putObject(OSSPutObjectRequest(bucket: TestServer.bucket, key: key, body: .bytes([0])))
        }
    }

    @Test("V1 and V2 paginators return every key once, in order, with unusual characters intact")
    func paginators() async throws {
        try await TestServer.run { server in
            try await seed(server.client)
            var v1: [String] = []
            var v1Pages = 0
            for try await page in server.client.listObjectsPages(OSSListObjectsRequest(bucket: TestServer.bucket, maxKeys: 2)) {
                v1Pages += 1
                v1 += page.contents.map(\.key)
            }
            #expect(v1 == Self.keys)
            #expect(v1Pages == 3)
            var v2: [String] = []
            for try await page in server.client.listObjectsV2Pages(
                OSSListObjectsV2Request(bucket: TestServer.bucket, maxKeys: 2, fetchOwner: true))
            {
                v2 += page.contents.map(\.key)
                #expect(page.contents.allSatisfy { $0.owner != nil })
            }
            #expect(v2 == Self.keys)
        }
    }

    @Test("The versions paginator lists every object once as its null version, paged by key marker")
    func versions() async throws {
        try await TestServer.run { server in
            try await seed(server.client)
            var listed: [OSSObjectSummary] = []
            var pages = 0
            for try await page in server.client.listObjectVersionsPages(
                OSSListObjectVersionsRequest(bucket: TestServer.bucket, maxKeys: 2))
            {
                pages += 1
                listed += page.versions
            }
            #expect(pages == 3)
            #expect(listed.map(\.key) == Self.keys)
            #expect(listed.allSatisfy { $0.versionID == "null" && $0.isLatest == true && $0.size == 1 })
            let grouped = try await server.client.listObjectVersions(
                OSSListObjectVersionsRequest(bucket: TestServer.bucket, prefix: "a/", delimiter: "/"))
            #expect(grouped.versions.map(\.key) == ["a/1", "a/2"])
            #expect(grouped.commonPrefixes == ["a/b/"])
        }
    }

    @Test("Prefix and delimiter group keys into common prefixes")
    func delimiter() async throws {
        try await TestServer.run { server in
            try await seed(server.client)
            let v1 = try await server.client.listObjects(
                OSSListObjectsRequest(bucket: TestServer.bucket, prefix: "a/", delimiter: "/"))
            #expect(v1.contents.map(\.key) == ["a/1", "a/2"])
            #expect(v1.commonPrefixes == ["a/b/"])
            let v2 = try await server.client.listObjectsV2(
                OSSListObjectsV2Request(bucket: TestServer.bucket, delimiter: "/", startAfter: "a/2"))
            #expect(v2.contents.map(\.key) == ["c d+e", "z%25"])
        }
    }

    @Test("Breaking out of a paginator stops fetching")
    func earlyExit() async throws {
        try await TestServer.run { server in
            try await seed(server.client)
            var seen = 0
            for try await page in server.client.listObjectsPages(OSSListObjectsRequest(bucket: TestServer.bucket, maxKeys: 1)) {
                seen += page.contents.count
                if seen == 2 { break }
            }
            #expect(seen == 2)
        }
    }
}
