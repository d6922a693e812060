import Foundation
import Testing

@testable import OSSServer

@Suite("ListObjectsV2 continuation tokens")
struct ListingTokenTests {
    @Test("a token is unchanged by URL encoding and reads back as its marker", arguments: ["k>>>", "k???", "a/d45/e3/f00045.bin", "é/ü", ""])
    func roundTrip(marker: String) throws {
        let token = ListingToken.token(for: marker)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(token)")
        #expect(ListingToken.marker(from: token) == marker)
    }

    @Test("tokens of earlier versions (standard base64, padded) are still read; garbage is not")
    func earlierTokens() {
        // base64 of "k>>>" is "az4+Pg==": '+' and padding, as issued before.
        #expect(ListingToken.marker(from: "az4+Pg==") == "k>>>")
        #expect(ListingToken.marker(from: Data("a/d45/e3/f00045.bin".utf8).base64EncodedString()) == "a/d45/e3/f00045.bin")
        #expect(ListingToken.marker(from: "%%%") == nil)
    }
}
