import OSSProtocol
import Testing

@Suite("Names and user metadata (§3.1, §5.3)")
struct NameTests {
    @Test("valid bucket names", arguments: ["abc", "example-bucket", "a1-b2", "123", String(repeating: "a", count: 63)])
    func validBuckets(name: String) throws {
        #expect(OSSNames.isValidBucketName(name))
        try OSSNames.validateBucketName(name)
    }

    @Test(
        "invalid bucket names",
        arguments: ["ab", String(repeating: "a", count: 64), "-abc", "abc-", "Abc", "a_b", "a.b", "a b", "", "ab中"])
    func invalidBuckets(name: String) {
        #expect(!OSSNames.isValidBucketName(name))
        #expect((#expect(throws: OSSError.self) { try OSSNames.validateBucketName(name) })?.code == "InvalidBucketName")
    }

    @Test(
        "valid keys",
        arguments: [
            "a", "a b/c+d%e~f中.txt", "dir/", "a//b", "a/./b", "..a", "a..", "a/..b/c", ".",
            String(repeating: "k", count: 1023), String(repeating: "中", count: 341),
        ])
    func validKeys(key: String) throws {
        #expect(OSSNames.isValidObjectKey(key))
        try OSSNames.validateObjectKey(key)
    }

    @Test(
        "invalid keys",
        arguments: [
            "", "/a", "\\a", "a\u{0}b", "..", "../a", "a/../b", "a/..", String(repeating: "k", count: 1024),
            String(repeating: "中", count: 342),
        ])
    func invalidKeys(key: String) {
        #expect(!OSSNames.isValidObjectKey(key))
        let error = #expect(throws: OSSError.self) { try OSSNames.validateObjectKey(key) }
        #expect(error?.code == "InvalidObjectName")
        #expect(error?.status == 400)
    }

    @Test("user metadata: collected, lower-cased, sorted on output")
    func metadata() throws {
        let metadata = try OSSUserMetadata(headers: [
            ("x-oss-meta-Author", "alice"), ("Content-Type", "text/plain"), ("X-OSS-META-project", " swift-oss "),
            ("x-oss-object-acl", "private"), ("x-oss-meta-author", "bob"),
        ])
        #expect(metadata.entries == ["author": "alice,bob", "project": "swift-oss"])
        #expect(metadata.headers.map(\.name) == ["x-oss-meta-author", "x-oss-meta-project"])
        #expect(OSSUserMetadata(["A": "1"]).entries == ["a": "1"])
    }

    @Test("user metadata: bad names and more than 8 KB are InvalidArgument")
    func metadataLimits() throws {
        for name in ["x-oss-meta-", "x-oss-meta-a_b", "x-oss-meta-a.b", "x-oss-meta-中"] {
            let error = #expect(throws: OSSError.self) { try OSSUserMetadata(headers: [(name, "v")]) }
            #expect(error?.code == "InvalidArgument", "\(name)")
        }
        let atLimit = try OSSUserMetadata(headers: [("x-oss-meta-k", String(repeating: "v", count: 8191))])
        #expect(atLimit.entries["k"]?.count == 8191)
        let over = #expect(throws: OSSError.self) {
            try OSSUserMetadata(headers: [("x-oss-meta-k", String(repeating: "v", count: 8192))])
        }
        #expect(over?.detail("EC") == "0011-00000002")
    }
}
