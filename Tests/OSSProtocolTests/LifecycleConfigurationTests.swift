import Foundation
import OSSProtocol
import Testing

@Suite("LifecycleConfiguration: what PutBucketLifecycle accepts, refuses and answers")
struct LifecycleConfigurationTests {
    static func parse(_ rules: String, overlap: Bool = false) throws(OSSError) -> OSSLifecycleConfiguration {
        try OSSLifecycleConfiguration(
            parsing: Array("<LifecycleConfiguration>\(rules)</LifecycleConfiguration>".utf8), allowSameActionOverlap: overlap)
    }

    static func refusal(_ rules: String, overlap: Bool = false) -> (code: String, status: Int)? {
        do {
            _ = try parse(rules, overlap: overlap)
            return nil
        } catch {
            return (error.code, error.status)
        }
    }

    @Test func oss2AndV2BodiesReadAlikeAndAreWrittenInOSSOrder() throws {
        // oss2: OSS's order, `True`, dates with milliseconds, an empty ID.
        let oss2 = try Self.parse(
            """
            <Rule><ID /><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>30</Days></Expiration>\
            <AbortMultipartUpload><CreatedBeforeDate>2030-01-01T00:00:00.000Z</CreatedBeforeDate></AbortMultipartUpload>\
            <Transition><StorageClass>IA</StorageClass><Days>10</Days></Transition>\
            <Tag><Key>env</Key><Value>tmp</Value></Tag></Rule>\
            <Rule><ID>markers</ID><Prefix /><Status>Disabled</Status>\
            <Expiration><ExpiredObjectDeleteMarker>True</ExpiredObjectDeleteMarker></Expiration>\
            <NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration></Rule>
            """)
        // v2: its attribute order, dates without milliseconds.
        let v2 = try Self.parse(
            """
            <Rule><Tag><Key>env</Key><Value>tmp</Value></Tag><ID>given</ID><Expiration><Days>30</Days></Expiration>\
            <Transition><Days>10</Days><StorageClass>IA</StorageClass></Transition><Prefix>logs/</Prefix><Status>Enabled</Status>\
            <AbortMultipartUpload><CreatedBeforeDate>2030-01-01T00:00:00Z</CreatedBeforeDate></AbortMultipartUpload></Rule>
            """)
        #expect(oss2.rules.count == 2 && v2.rules.count == 1)
        #expect(!oss2.rules[0].id.isEmpty, "an ID is generated when none is given")
        var first = oss2.rules[0]
        first.id = "given"
        #expect(first == v2.rules[0])
        #expect(oss2.rules[1].expiration?.expiredObjectDeleteMarker == true && oss2.rules[1].status == .disabled)
        let xml = v2.xml
        let order = ["<ID>", "<Prefix>", "<Status>", "<Expiration>", "<Transition>", "<AbortMultipartUpload>", "<Tag>"]
        let positions = order.map { xml.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted(), "\(xml)")
        #expect(xml.contains("<CreatedBeforeDate>2030-01-01T00:00:00.000Z</CreatedBeforeDate>"))
        #expect(try OSSLifecycleConfiguration(parsing: Array(xml.utf8)) == v2)
        #expect(oss2.xml.contains("<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"))
    }

    @Test(arguments: [
        // What OSS answers MalformedXML: not a lifecycle configuration.
        ("", "MalformedXML"),
        ("<Rule/>", "MalformedXML"),
        ("<Rule><ID>a</ID><Prefix/><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>", "MalformedXML"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status></Rule>", "MalformedXML"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><Days>x</Days></Expiration></Rule>", "MalformedXML"),
        // What it answers InvalidArgument: rules it will not keep.
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><Days>-30</Days></Expiration></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><Days>1</Days><CreatedBeforeDate>2030-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><CreatedBeforeDate>2030-01-01T08:00:00.000Z</CreatedBeforeDate></Expiration></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><CreatedBeforeDate>soon</CreatedBeforeDate></Expiration></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>a</ID><Prefix>y</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>", "InvalidArgument"),
        ("<Rule><ID>\(String(repeating: "i", count: 256))</ID><Prefix/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><Days>10</Days></Expiration><Transition><Days>20</Days><StorageClass>IA</StorageClass></Transition></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Transition><Days>20</Days><StorageClass>IA</StorageClass></Transition><Transition><Days>10</Days><StorageClass>Archive</StorageClass></Transition></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Transition><Days>20</Days><StorageClass>Standard</StorageClass></Transition></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><Tag><Key>%&amp;</Key><Value>v</Value></Tag></Rule>", "InvalidArgument"),
        ("<Rule><ID>a</ID><Prefix>logs</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>b</ID><Prefix>logs/old</Prefix><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>", "InvalidArgument"),
        // InvalidRequest: an expiry by date with transitions by days.
        ("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><CreatedBeforeDate>2030-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration><Transition><Days>20</Days><StorageClass>IA</StorageClass></Transition></Rule>", "InvalidRequest"),
    ])
    func refusals(rules: String, code: String) {
        let refusal = Self.refusal(rules)
        #expect(refusal?.code == code, "\(rules)")
        #expect(refusal?.status == 400)
    }

    @Test func overlapsNeedTheHeaderAndLongTagsAreAccepted() throws {
        let overlapping = """
            <Rule><ID>a</ID><Prefix>logs</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>\
            <Rule><ID>b</ID><Prefix>logs/old</Prefix><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>
            """
        #expect(try Self.parse(overlapping, overlap: true).rules.count == 2)
        // Different actions on overlapping prefixes are fine without it.
        _ = try Self.parse(
            """
            <Rule><ID>a</ID><Prefix>logs</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>\
            <Rule><ID>b</ID><Prefix>logs/old</Prefix><Status>Enabled</Status><AbortMultipartUpload><Days>2</Days></AbortMultipartUpload></Rule>
            """)
        // oss2's tests: a 129-character key and a 257-character value are accepted.
        let tag = "<Tag><Key>\(String(repeating: "k", count: 129))</Key><Value>\(String(repeating: "v", count: 257))</Value></Tag>"
        _ = try Self.parse("<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>\(tag)</Rule>")
    }
}

@Suite("Referer configuration: hotlink protection rules")
struct RefererConfigurationTests {
    @Test func whitelistBlacklistWildcardsAndEmptyReferers() throws {
        let configuration = try OSSRefererConfiguration(
            parsing: Array(
                """
                <RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer>\
                <RefererList><Referer>https://*.Example.com</Referer><Referer>http://cdn?.test.org/*</Referer></RefererList>\
                <RefererBlacklist><Referer>https://evil.example.com</Referer></RefererBlacklist></RefererConfiguration>
                """.utf8))
        #expect(configuration.allows(referer: "https://www.example.com"))
        #expect(configuration.allows(referer: "HTTPS://IMG.EXAMPLE.COM"))
        #expect(configuration.allows(referer: "https://www.example.com?from=mail"), "the query string is ignored by default")
        #expect(configuration.allows(referer: "http://cdn1.test.org/page"))
        #expect(!configuration.allows(referer: "http://cdn12.test.org/page"))
        #expect(configuration.allows(referer: "https://www.example.com/deep/page.html"), "a pattern matches the start")
        #expect(configuration.allows(referer: "https://www.example.com.cn"), "a prefix, as OSS matches it, hosts included")
        let bare = OSSRefererConfiguration(allowEmptyReferer: false, referers: ["www.example.com"])
        #expect(bare.allows(referer: "https://www.example.com/a") && bare.allows(referer: "http://www.example.com"))
        #expect(!bare.allows(referer: "https://example.com/www.example.com"))
        #expect(!configuration.allows(referer: "https://evil.example.com"))
        #expect(!configuration.allows(referer: "https://example.org"))
        #expect(!configuration.allows(referer: nil) && !configuration.allows(referer: ""))
        var open = configuration
        open.allowEmptyReferer = true
        #expect(open.allows(referer: nil))
        // The query string is cut before matching unless AllowTruncateQueryString is false.
        open.blacklist = ["https://www.example.com?from=spam"]
        #expect(open.allows(referer: "https://www.example.com?from=spam"))
        open.allowTruncateQueryString = false
        #expect(!open.allows(referer: "https://www.example.com?from=spam"))
        #expect(try OSSRefererConfiguration(parsing: Array(configuration.xml.utf8)) == configuration)
        // The default: everything allowed.
        #expect(OSSRefererConfiguration().allows(referer: "https://anything.test") && OSSRefererConfiguration().allows(referer: nil))
        #expect(throws: OSSError.self) { try OSSRefererConfiguration(parsing: Array("<RefererConfiguration/>".utf8)) }
    }
}
