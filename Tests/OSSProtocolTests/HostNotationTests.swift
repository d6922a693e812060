import Testing

@testable import OSSProtocol

@Suite struct HostNotationTests {
    @Test("an IPv6 literal is bracketed, once; other hosts are left as they are")
    func bracketing() {
        #expect(HostNotation.bracketed("::1") == "[::1]")
        #expect(HostNotation.bracketed("[::1]") == "[::1]")
        #expect(HostNotation.bracketed("127.0.0.1") == "127.0.0.1")
        #expect(HostNotation.bracketed("oss.example.com") == "oss.example.com")
        #expect(HostNotation.address("fe80::1", port: 9000) == "[fe80::1]:9000")
        #expect(HostNotation.address("localhost", port: 0) == "localhost:0")
    }
}
