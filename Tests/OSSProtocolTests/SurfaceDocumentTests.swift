import Foundation
import OSSProtocol
import Testing

@Suite("Documents of the complete surface: ACLs, tags, empty version and live-channel listings")
struct SurfaceDocumentTests {
    let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    func data(_ text: String) -> Data { Data(text.utf8) }

    @Test("AccessControlPolicy matches §3.5 and round-trips")
    func accessControlPolicy() throws {
        let policy = OSSAccessControlPolicy(owner: OSSOwner(id: "u"), grant: OSSBucketACL.publicRead)
        #expect(
            policy.xml
                == declaration
                + "<AccessControlPolicy><Owner><ID>u</ID><DisplayName>u</DisplayName></Owner><AccessControlList><Grant>public-read</Grant></AccessControlList></AccessControlPolicy>"
        )
        #expect(try OSSAccessControlPolicy(parsing: data(policy.xml)) == policy)
        let noGrant = "<AccessControlPolicy><Owner><ID>u</ID><DisplayName>u</DisplayName></Owner><AccessControlList/></AccessControlPolicy>"
        #expect(
            (#expect(throws: OSSError.self) { try OSSAccessControlPolicy<OSSBucketACL>(parsing: data(noGrant)) })?.code
                == "MalformedXML")
        // `default` is an object's grant only; an unknown grant is refused by both.
        let inherited = policy.xml.replacingOccurrences(of: "public-read", with: "default")
        #expect(try OSSAccessControlPolicy<OSSObjectACL>(parsing: data(inherited)).grant == .default)
        #expect(
            (#expect(throws: OSSError.self) { try OSSAccessControlPolicy<OSSBucketACL>(parsing: data(inherited)) })?.code
                == "MalformedXML")
        let unknown = policy.xml.replacingOccurrences(of: "public-read", with: "authenticated-read")
        #expect(
            (#expect(throws: OSSError.self) { try OSSAccessControlPolicy<OSSObjectACL>(parsing: data(unknown)) })?.code
                == "MalformedXML")
    }

    @Test("Tagging: document order kept, missing Value empty, XML escaped, round trip")
    func taggingDocument() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Tagging><TagSet>
              <Tag><Key>env</Key><Value>dev</Value></Tag>
              <Tag><Key>a&amp;b</Key></Tag>
              <Tag><Value>v</Value><Key>中文</Key></Tag>
            </TagSet></Tagging>
            """
        let parsed = try OSSTagging(parsing: data(body))
        #expect(parsed.tags.map(\.key) == ["env", "a&b", "中文"])
        #expect(parsed.tags.map(\.value) == ["dev", "", "v"])
        #expect(parsed.dictionary == ["env": "dev", "a&b": "", "中文": "v"])
        #expect(try OSSTagging(parsing: data(parsed.xml)) == parsed)
        #expect(
            OSSTagging(["b": "2", "a": "1"]).xml
                == declaration
                + "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></Tagging>")
        #expect(try OSSTagging(parsing: data("<Tagging><TagSet/></Tagging>")).tags.isEmpty)
        #expect(try OSSTagging(parsing: data("<Tagging/>")).tags.isEmpty)
    }

    @Test(
        "Tagging: malformed documents",
        arguments: [
            ("", "MalformedXML"),
            ("<Tagging><TagSet><Tag><Key>a</Key>", "MalformedXML"),
            ("<Other/>", "MalformedXML"),
            ("<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>", "MalformedXML"),
            ("<Tagging><TagSet><Tag><Key>a</Key></Tag><Tag><Key>a</Key></Tag></TagSet></Tagging>", "InvalidArgument"),
            ("<!DOCTYPE x [<!ENTITY e \"e\">]><Tagging/>", "MalformedXML"),
        ])
    func taggingMalformed(body: String, code: String) {
        #expect((#expect(throws: OSSError.self) { try OSSTagging(parsing: Data(body.utf8)) })?.code == code)
    }

    @Test("Tagging: more than 1000 tags are refused while reading")
    func taggingBound() {
        let tags = (0...OSSTagging.maximumParsedTags).map { (key: "k\($0)", value: "v") }
        let body = OSSTagging(tags: tags).xml
        #expect((#expect(throws: OSSError.self) { try OSSTagging(parsing: Data(body.utf8)) })?.code == "MalformedXML")
    }

    @Test("x-oss-tagging: URL-encoded pairs, + kept, empty values, duplicates and bad escapes refused")
    func taggingHeader() throws {
        let parsed = try OSSTagging(headerValue: "k1=v1&a%20b=c%2Bd+e&empty=&bare&&x%2Fy=%E4%B8%AD")
        #expect(parsed.tags.map(\.key) == ["k1", "a b", "empty", "bare", "x/y"])
        #expect(parsed.tags.map(\.value) == ["v1", "c+d+e", "", "", "中"])
        #expect(try OSSTagging(headerValue: parsed.headerValue) == parsed)
        #expect(try OSSTagging(headerValue: "").tags.isEmpty)
        for bad in ["a=1&a=2", "k=%zz", "=v", "k=%FF"] {
            let error = #expect(throws: OSSError.self) { try OSSTagging(headerValue: bad) }
            #expect(error?.code == "InvalidArgument", "\(bad)")
        }
    }

    @Test("ListVersionsResult: the fields oss2 requires, url encoding, round trip")
    func listVersions() throws {
        let result = OSSListVersionsResult(name: "b", prefix: "a b/", keyMarker: "k", maxKeys: 10, delimiter: "/", encodingType: "url")
        #expect(
            result.xml
                == declaration
                + "<ListVersionsResult><Name>b</Name><Prefix>a%20b%2F</Prefix><KeyMarker>k</KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>10</MaxKeys><Delimiter>%2F</Delimiter><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated></ListVersionsResult>"
        )
        #expect(try OSSListVersionsResult(parsing: data(result.xml)) == result)
    }

    @Test("ListLiveChannelResult: the fields oss2 requires, round trip")
    func listLiveChannels() throws {
        let result = OSSListLiveChannelResult(prefix: "p", marker: "m", maxKeys: 5)
        #expect(
            result.xml
                == declaration
                + "<ListLiveChannelResult><Prefix>p</Prefix><Marker>m</Marker><MaxKeys>5</MaxKeys><IsTruncated>false</IsTruncated></ListLiveChannelResult>"
        )
        #expect(try OSSListLiveChannelResult(parsing: data(result.xml)) == result)
    }

    @Test(
        "surface error codes and statuses",
        arguments: [
            (OSSError.notImplemented(subresource: "lifecycle"), "NotImplemented", 400),
            (.anonymousAccessForbidden(), "AccessDenied", 403),
            (.malformedPOSTRequest("no boundary"), "MalformedPOSTRequest", 400),
            (.fieldItemTooLong(field: "key", limit: 4096), "FieldItemTooLong", 400),
            (.invalidPolicyDocument("not JSON"), "InvalidPolicyDocument", 400),
        ])
    func surfaceErrors(error: OSSError, code: String, status: Int) throws {
        #expect(error.code == code)
        #expect(error.status == status)
        let parsed = try OSSError(parsing: Data(error.xml(requestID: "R", hostID: "H").utf8), status: status)
        #expect(parsed.code == code && parsed.message == error.message)
    }
}
