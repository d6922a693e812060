import Foundation
import OSSProtocol
import Testing

@Suite("CORS rules: the CORSConfiguration document and how requests match it")
struct CORSConfigurationTests {
    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <CORSConfiguration>
          <CORSRule>
            <AllowedOrigin>https://app.example.com</AllowedOrigin>
            <AllowedOrigin>https://*.example.org</AllowedOrigin>
            <AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod>
            <AllowedHeader>x-oss-meta-*</AllowedHeader><AllowedHeader>Content-Type</AllowedHeader>
            <ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-oss-hash-crc64ecma</ExposeHeader>
            <MaxAgeSeconds>600</MaxAgeSeconds>
          </CORSRule>
          <CORSRule>
            <AllowedOrigin>*</AllowedOrigin>
            <AllowedMethod>GET</AllowedMethod>
          </CORSRule>
          <ResponseVary>true</ResponseVary>
        </CORSConfiguration>
        """

    @Test("a document reads into its rules in order and writes back to the same configuration")
    func roundTrip() throws {
        let configuration = try OSSCORSConfiguration(parsing: Array(Self.document.utf8))
        #expect(configuration.responseVary)
        #expect(configuration.rules.count == 2)
        #expect(configuration.rules[0].allowedOrigins == ["https://app.example.com", "https://*.example.org"])
        #expect(configuration.rules[0].allowedMethods == ["PUT", "POST"])
        #expect(configuration.rules[0].allowedHeaders == ["x-oss-meta-*", "Content-Type"])
        #expect(configuration.rules[0].exposeHeaders == ["ETag", "x-oss-hash-crc64ecma"])
        #expect(configuration.rules[0].maxAgeSeconds == 600)
        #expect(configuration.rules[1] == .init(allowedOrigins: ["*"], allowedMethods: ["GET"]))
        #expect(try OSSCORSConfiguration(parsing: Array(configuration.xml.utf8)) == configuration)
    }

    @Test("origins, methods and headers match exactly or through one *; the first matching rule wins")
    func matching() throws {
        let configuration = try OSSCORSConfiguration(parsing: Array(Self.document.utf8))
        let upload = configuration.rule(
            origin: "https://app.example.com", method: "PUT", requestHeaders: ["content-type", "X-OSS-META-Owner"])
        #expect(upload?.maxAgeSeconds == 600)
        #expect(configuration.rule(origin: "https://cdn.example.org", method: "POST")?.maxAgeSeconds == 600)
        // `*.example.org` needs something before the dot; other schemes and hosts do not match.
        #expect(configuration.rule(origin: "https://.example.org", method: "POST")?.maxAgeSeconds == 600)
        #expect(configuration.rule(origin: "http://cdn.example.org", method: "POST") == nil)
        #expect(configuration.rule(origin: "https://app.example.com.evil", method: "PUT") == nil)
        // A header outside the list fails the whole rule; GET from anywhere falls to the second.
        #expect(configuration.rule(origin: "https://app.example.com", method: "PUT", requestHeaders: ["x-custom"]) == nil)
        #expect(configuration.rule(origin: "https://anyone.test", method: "GET")?.allowedOrigins == ["*"])
        #expect(configuration.rule(origin: "https://anyone.test", method: "DELETE") == nil)
        // Methods are compared as sent: browsers send them upper-case.
        #expect(configuration.rule(origin: "https://anyone.test", method: "get") == nil)
    }

    @Test("bad documents are refused with the OSS error", arguments: [
        ("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>", "InvalidArgument"),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>", "InvalidArgument"),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>", "InvalidArgument"),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>https://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>", "InvalidArgument"),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>-1</MaxAgeSeconds></CORSRule></CORSConfiguration>", "InvalidArgument"),
        ("<CORSConfiguration><ResponseVary>maybe</ResponseVary></CORSConfiguration>", "InvalidArgument"),
        ("<CORSConfiguration>" + String(repeating: "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>", count: 11) + "</CORSConfiguration>", "MalformedXML"),
        ("<Other/>", "MalformedXML"),
    ])
    func refusals(document: String, code: String) {
        let error = #expect(throws: OSSError.self) { try OSSCORSConfiguration(parsing: Array(document.utf8)) }
        #expect(error?.code == code, "\(document)")
    }
}
