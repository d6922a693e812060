import Foundation
import OSSProtocol
import Testing

@Suite("XML request bodies")
struct XMLRequestTests {
    func data(_ text: String) -> Data { Data(text.utf8) }

    @Test("CompleteMultipartUpload: parts in order, quoted or raw ETags, whitespace tolerated")
    func complete() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <CompleteMultipartUpload>
              <Part><PartNumber> 1 </PartNumber><ETag>"3858F62230AC3C915F300C664312C11F"</ETag></Part>
              <Part><ETag>5EB63BBBE01EEED093CB22BB8F5ACDC3</ETag><PartNumber>3</PartNumber></Part>
            </CompleteMultipartUpload>
            """
        let parsed = try OSSCompleteMultipartUpload(parsing: data(body))
        #expect(
            parsed.parts == [
                .init(partNumber: 1, etag: "\"3858F62230AC3C915F300C664312C11F\""),
                .init(partNumber: 3, etag: "5EB63BBBE01EEED093CB22BB8F5ACDC3"),
            ])
        #expect(try OSSCompleteMultipartUpload(parsing: data(parsed.xml)) == parsed)
        #expect(
            OSSCompleteMultipartUpload(parts: [.init(partNumber: 1, etag: "\"A\"")]).xml
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                + "<ETag>&quot;A&quot;</ETag></Part></CompleteMultipartUpload>")
    }

    @Test("CompleteMultipartUpload: 10000 parts are fine, 10001 are not")
    func completeLimit() throws {
        let parts = (1...10_000).map { OSSCompleteMultipartUpload.Part(partNumber: $0, etag: "\"E\($0)\"") }
        let full = OSSCompleteMultipartUpload(parts: parts)
        #expect(try OSSCompleteMultipartUpload(parsing: data(full.xml)).parts.count == 10_000)
        let over = OSSCompleteMultipartUpload(parts: parts + [.init(partNumber: 10_001, etag: "x")])
        #expect((#expect(throws: OSSError.self) { try OSSCompleteMultipartUpload(parsing: data(over.xml)) })?.code == "MalformedXML")
    }

    @Test(
        "malformed or empty bodies are MalformedXML",
        arguments: [
            "", "   \n", "<CompleteMultipartUpload>", "not xml", "<Other></Other>",
            "<CompleteMultipartUpload></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload></CompleteMultipartUpload><CompleteMultipartUpload/>",
            "<!DOCTYPE d [<!ENTITY a \"aaaa\">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&a;</ETag></Part></CompleteMultipartUpload>",
        ])
    func malformedComplete(body: String) {
        let error = #expect(throws: OSSError.self) { try OSSCompleteMultipartUpload(parsing: data(body)) }
        #expect(error?.code == "MalformedXML")
        #expect(error?.status == 400)
    }

    @Test("Delete: keys keep XML-escaped characters and spaces, Quiet is read")
    func delete() throws {
        let body = """
            <Delete><Quiet>true</Quiet><Object><Key>a&amp;b.txt</Key></Object>\
            <Object><Key> spaced key </Key><VersionId>v1</VersionId></Object>\
            <Object><Key>&#x4E2D;&lt;&gt;</Key></Object></Delete>
            """
        let parsed = try OSSDeleteRequest(parsing: data(body))
        #expect(parsed.quiet)
        #expect(parsed.objects == [.init(key: "a&b.txt"), .init(key: " spaced key ", versionID: "v1"), .init(key: "中<>")])
        #expect(try OSSDeleteRequest(parsing: data(parsed.xml)) == parsed)
    }

    @Test("Delete: empty lists only in quiet mode; at most 1000 keys; Quiet must be a boolean")
    func deleteRules() throws {
        #expect(try OSSDeleteRequest(parsing: data("<Delete><Quiet>true</Quiet></Delete>")).objects.isEmpty)
        let empty = #expect(throws: OSSError.self) { try OSSDeleteRequest(parsing: data("<Delete><Quiet>false</Quiet></Delete>")) }
        #expect(empty?.code == "MalformedXML")
        let many = OSSDeleteRequest(objects: (0...1000).map { .init(key: "k\($0)") })
        #expect((#expect(throws: OSSError.self) { try OSSDeleteRequest(parsing: data(many.xml)) })?.code == "MalformedXML")
        let thousand = OSSDeleteRequest(objects: (1...1000).map { .init(key: "k\($0)") })
        #expect(try OSSDeleteRequest(parsing: data(thousand.xml)).objects.count == 1000)
        let quiet = #expect(throws: OSSError.self) {
            try OSSDeleteRequest(parsing: data("<Delete><Quiet>yes</Quiet><Object><Key>a</Key></Object></Delete>"))
        }
        #expect(quiet?.code == "MalformedXML")
        let keyless = #expect(throws: OSSError.self) { try OSSDeleteRequest(parsing: data("<Delete><Object/></Delete>")) }
        #expect(keyless?.code == "MalformedXML")
    }

    @Test("CreateBucketConfiguration")
    func createBucket() throws {
        let full = try OSSCreateBucketConfiguration(
            parsing: data(
                "<CreateBucketConfiguration><StorageClass>IA</StorageClass><DataRedundancyType>LRS</DataRedundancyType></CreateBucketConfiguration>"
            ))
        #expect(full == OSSCreateBucketConfiguration(storageClass: "IA", dataRedundancyType: "LRS"))
        #expect(try OSSCreateBucketConfiguration(parsing: data(full.xml)) == full)
        #expect(try OSSCreateBucketConfiguration(parsing: data("<CreateBucketConfiguration/>")) == OSSCreateBucketConfiguration())
        #expect(throws: OSSError.self) { try OSSCreateBucketConfiguration(parsing: data("")) }
        #expect(throws: OSSError.self) { try OSSCreateBucketConfiguration(parsing: data("<BucketConfiguration/>")) }
    }

    @Test("the writer escapes the five XML characters and carriage returns")
    func writerEscaping() {
        #expect(OSSXMLWriter.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
        #expect(OSSXMLWriter.escape("plain 中") == "plain 中")
        #expect(OSSXMLWriter.escape("a\rb") == "a&#13;b")
        var writer = OSSXMLWriter(declaration: false)
        writer.element("A") { writer in
            writer.element("B", "x&y")
            writer.element("C", 5)
            writer.element("D", false)
            writer.element("E", ifPresent: nil)
        }
        #expect(writer.output == "<A><B>x&amp;y</B><C>5</C><D>false</D></A>")
    }

    @Test("keys with every escaped character and a carriage return survive a round trip")
    func keyRoundTrip() throws {
        let request = OSSDeleteRequest(objects: [.init(key: "a&<>\"'\r\n\tb")])
        #expect(try OSSDeleteRequest(parsing: data(request.xml)) == request)
    }
}
