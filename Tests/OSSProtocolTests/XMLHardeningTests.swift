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
