import Foundation
import OSSProtocol
import Testing

@Suite("XML hardening: what the bad-input campaign found")
struct XMLHardeningTests {
    @Test(
        "content after the root is MalformedXML (Foundation on Linux reports it only through parserError)",
        arguments: ["<Tagging/><Tagging/>", "<Tagging></Tagging>junk", "<Tagging/><", "<Tagging/><Other/>"])
    func trailingContent(body: String) {
        let error = #expect(throws: OSSError.self) { try OSSTagging(parsing: Data(body.utf8)) }
        #expect(error?.code == "MalformedXML")
    }

    /// In UTF-16 the byte search for `<!DOCTYPE` sees nothing while libxml2 still reads the DTD and
    /// drops undefined entities: `<Key>k-&xxe;</Key>` became a delete of key `k-`.
    @Test("a document in UTF-16 (with or without BOM) or declaring another encoding is MalformedXML")
    func onlyUTF8() throws {
        let document = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE d [<!ENTITY xxe \"x\">]><Delete><Object><Key>k-&xxe;</Key></Object></Delete>"
        let utf16LE = Data([0xFF, 0xFE]) + document.data(using: .utf16LittleEndian)!
        let utf16BENoBOM = document.data(using: .utf16BigEndian)!
        for body in [utf16LE, utf16BENoBOM] {
            let error = #expect(throws: OSSError.self) { try OSSDeleteRequest(parsing: body) }
            #expect(error?.code == "MalformedXML")
        }
        let latin1 = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Tagging><TagSet/></Tagging>".utf8)
        #expect((#expect(throws: OSSError.self) { try OSSTagging(parsing: latin1) })?.code == "MalformedXML")
        let declaredUTF8 = Data("\u{FEFF}<?xml version='1.0' encoding='utf-8'?><Tagging><TagSet/></Tagging>".utf8)
        #expect(try OSSTagging(parsing: declaredUTF8).tags.isEmpty)
    }

    @Test("comments and whitespace after the root are fine")
    func trailingMisc() throws {
        #expect(try OSSTagging(parsing: Data("<Tagging/>  <!-- note -->\n".utf8)).tags.isEmpty)
    }

    @Test("nesting deeper than 16 levels is MalformedXML; OSS's own depth passes")
    func depth() throws {
        let deep = "<Tagging>" + String(repeating: "<a>", count: 16) + String(repeating: "</a>", count: 16) + "</Tagging>"
        #expect((#expect(throws: OSSError.self) { try OSSTagging(parsing: Data(deep.utf8)) })?.code == "MalformedXML")
        let shallow = "<Tagging>" + String(repeating: "<a>", count: 14) + String(repeating: "</a>", count: 14) + "</Tagging>"
        #expect(try OSSTagging(parsing: Data(shallow.utf8)).tags.isEmpty)
    }

    /// Both Python SDKs send the keys of DeleteMultipleObjects raw, and OSS accepts them.
    @Test("raw control characters are accepted in text, and only there")
    func controlCharactersInText() throws {
        let keys = "a\u{01}b\u{1F}c\u{7}d\u{1B}[0m"
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>false</Quiet><Object><Key>\(keys)</Key></Object><Object><Key>plain\tkey</Key></Object></Delete>"
        let parsed = try OSSDeleteRequest(parsing: Data(body.utf8))
        #expect(parsed.objects.map(\.key) == [keys, "plain\tkey"])
        // alibabacloud_oss_v2 writes them as decimal references; hex ones are read too.
        let referenced = "<Delete><Object><Key>a&#01;b&#31;c&#07;d&#27;[0m&#09;&#x1b;&amp;&#65;</Key></Object></Delete>"
        #expect(try OSSDeleteRequest(parsing: Data(referenced.utf8)).objects.map(\.key) == [keys + "\t\u{1B}&A"])
        let tagging = "<Tagging><TagSet><Tag><Key>k\u{2}</Key><Value>v\u{3}</Value></Tag></TagSet></Tagging>"
        #expect(try OSSTagging(parsing: Data(tagging.utf8)).dictionary == ["k\u{2}": "v\u{3}"])
        // Not in names, not before the root, not in the declaration; NUL nowhere.
        for refused in [
            "<Delete><Obj\u{1}ect><Key>k</Key></Obj\u{1}ect></Delete>", "\u{1}<Delete><Object><Key>k</Key></Object></Delete>",
            "<?xml version=\"1.0\"\u{1}?><Delete><Object><Key>k</Key></Object></Delete>",
            "<Delete><Object><Key>k\u{0}</Key></Object></Delete>", "<Delete><Object><Key>k&#0;</Key></Object></Delete>",
            "<Delete><Object><Key>k&#x;</Key></Object></Delete>", "<Del&#1;ete><Object><Key>k</Key></Object></Del&#1;ete>",
        ] {
            #expect((#expect(throws: OSSError.self) { try OSSDeleteRequest(parsing: Data(refused.utf8)) })?.code == "MalformedXML")
        }
        // A document that already holds the code points used to carry them keeps them as sent.
        let privateUse = "<Delete><Object><Key>\u{10FF05}</Key></Object></Delete>"
        #expect(try OSSDeleteRequest(parsing: Data(privateUse.utf8)).objects.map(\.key) == ["\u{10FF05}"])
    }

    @Test("an error naming a key with control characters still parses")
    func errorWithControlCharacters() throws {
        let error = OSSError.invalidObjectName("nul\u{0}key\u{1B}", reason: "bad \u{0}")
        let xml = error.xml(requestID: "R", hostID: "H")
        #expect(!xml.utf8.contains(0))
        let parsed = try OSSError(parsing: Data(xml.utf8), status: 400)
        #expect(parsed.detail("ObjectName") == "nul\u{FFFD}key\u{FFFD}")
        #expect(OSSXMLWriter.replacingUnrepresentable("tab\tline\ncr\r") == "tab\tline\ncr\r")
    }
}
