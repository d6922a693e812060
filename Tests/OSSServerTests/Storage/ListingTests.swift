import Testing

@testable import OSSServer

@Suite("ListObjects: prefix, delimiter, markers, truncation")
struct ListingTests {
    static let keys = ["a", "b/1", "b/2", "b/c/3", "b/c/4", "c", "d/", "d/x", "e~", "e中", "f/g/h"]

    private func populated(_ body: (ObjectStorage) async throws -> Void) async throws {
        try await withStorage { storage, _ in
            for key in Self.keys.reversed() { try await put(storage, key, Array(key.utf8)) }
            try await body(storage)
        }
    }

    private func list(_ storage: ObjectStorage, _ query: ObjectListQuery) async throws -> ObjectListing {
        try await storage.listObjects(bucket: "bkt", query: query)
    }

    @Test("without a delimiter every key is listed in UTF-8 byte order with its summary")
    func flat() async throws {
        try await populated { storage in
            let listing = try await list(storage, ObjectListQuery(maxKeys: 1000))
            #expect(listing.objects.map(\.key) == Self.keys)
            #expect(listing.commonPrefixes.isEmpty)
            #expect(!listing.isTruncated)
            #expect(listing.nextMarker == nil)
            let first = try #require(listing.objects.first)
            #expect(first.size == 1)
            #expect(first.etag == referenceETag(Array("a".utf8)))
            #expect(first.crc64 == referenceCRC(Array("a".utf8)))
            #expect(first.type == .normal)
            #expect(first.storageClass == "Standard")
        }
    }

    @Test("prefix and delimiter roll keys up into common prefixes")
    func delimiter() async throws {
        try await populated { storage in
            let top = try await list(storage, ObjectListQuery(delimiter: "/"))
            #expect(top.objects.map(\.key) == ["a", "c", "e~", "e中"])
            #expect(top.commonPrefixes == ["b/", "d/", "f/"])

            let inB = try await list(storage, ObjectListQuery(prefix: "b/", delimiter: "/"))
            #expect(inB.objects.map(\.key) == ["b/1", "b/2"])
            #expect(inB.commonPrefixes == ["b/c/"])

            let inD = try await list(storage, ObjectListQuery(prefix: "d/", delimiter: "/"))
            #expect(inD.objects.map(\.key) == ["d/", "d/x"])

            let prefixOnly = try await list(storage, ObjectListQuery(prefix: "b/c"))
            #expect(prefixOnly.objects.map(\.key) == ["b/c/3", "b/c/4"])

            let multiByte = try await list(storage, ObjectListQuery(prefix: "e", delimiter: "中"))
            #expect(multiByte.objects.map(\.key) == ["e~"])
            #expect(multiByte.commonPrefixes == ["e中"])
        }
    }

    @Test("a marker starts after itself, also when it names a common prefix")
    func markers() async throws {
        try await populated { storage in
            let afterB1 = try await list(storage, ObjectListQuery(marker: "b/1", maxKeys: 3))
            #expect(afterB1.objects.map(\.key) == ["b/2", "b/c/3", "b/c/4"])
            #expect(afterB1.isTruncated)
            #expect(afterB1.nextMarker == "b/c/4")

            let afterPrefix = try await list(storage, ObjectListQuery(delimiter: "/", marker: "b/"))
            #expect(afterPrefix.objects.map(\.key) == ["c", "e~", "e中"])
            #expect(afterPrefix.commonPrefixes == ["d/", "f/"])

            let beforePrefix = try await list(storage, ObjectListQuery(prefix: "d/", marker: "a"))
            #expect(beforePrefix.objects.map(\.key) == ["d/", "d/x"])

            let pastEnd = try await list(storage, ObjectListQuery(marker: "zzz"))
            #expect(pastEnd.objects.isEmpty && !pastEnd.isTruncated)
        }
    }

    @Test("paging with max-keys visits every entry once, keys and prefixes counted together", arguments: [1, 2, 3, 7])
    func paging(pageSize: Int) async throws {
        try await populated { storage in
            let whole = try await list(storage, ObjectListQuery(delimiter: "/", maxKeys: 1000))
            var keys: [String] = []
            var prefixes: [String] = []
            var marker: String?
            var pages = 0
            repeat {
                let page = try await list(storage, ObjectListQuery(delimiter: "/", marker: marker, maxKeys: pageSize))
                #expect(page.entryCount <= pageSize)
                keys += page.objects.map(\.key)
                prefixes += page.commonPrefixes
                #expect(page.isTruncated == (page.nextMarker != nil))
                marker = page.nextMarker
                pages += 1
            } while marker != nil && pages < 50
            #expect(keys == whole.objects.map(\.key))
            #expect(prefixes == whole.commonPrefixes)
            #expect(pages == (whole.entryCount + pageSize - 1) / pageSize)
        }
    }

    @Test("an unknown bucket cannot be listed")
    func unknownBucket() async throws {
        try await withStorage { storage, _ in
            await #expect(throws: StorageError.noSuchBucket(bucket: "none")) {
                try await storage.listObjects(bucket: "none")
            }
        }
    }
}
