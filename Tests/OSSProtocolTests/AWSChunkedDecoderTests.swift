import XCTest

@testable import OSSProtocol

/// aws-chunked bodies: Amazon's two published chunked-upload examples ("Signature Calculations
/// for the Authorization Header: Transferring Payload in Multiple Chunks" and "… Including
/// Trailing Headers"), botocore's unsigned trailer form, the leniencies real SDKs need, and each
/// way the framing can break. Signatures and checksums are the documentation's.
final class AWSChunkedDecoderTests: XCTestCase {
    static let timestamp = "20130524T000000Z"
    static let scope = AWSSignatureV4.Scope(timestamp: timestamp, region: "us-east-1")
    static let signingKey = AWSSignatureV4.signingKey(secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", scope: scope)
    /// 65 KiB of `a`, sent as chunks of 64 KiB and 1 KiB.
    static let object = [UInt8](repeating: 0x61, count: 66_560)

    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: the seed and the three chunk signatures.
    static let signedSeed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
    static let signedChunkSignatures = [
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ]
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: seed, chunks, the CRC-32C trailer and its signature.
    static let trailerSeed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
    static let trailerChunkSignatures = [
        "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
        "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
        "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
    ]
    static let trailerSignature = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"

    static func signer(seed: String) -> AWSChunkSigner {
        AWSChunkSigner(seedSignature: seed, timestamp: timestamp, scope: scope, signingKey: signingKey)
    }

    /// The wire form of the examples: `size;chunk-signature=sig⏎data⏎` for 64 KiB, 1 KiB, 0.
    static func signedBody(_ signatures: [String], trailer: String = "\r\n") -> [UInt8] {
        Array("10000;chunk-signature=\(signatures[0])\r\n".utf8) + object[..<65_536] + Array("\r\n".utf8)
            + Array("400;chunk-signature=\(signatures[1])\r\n".utf8) + object[65_536...] + Array("\r\n".utf8)
            + Array("0;chunk-signature=\(signatures[2])\r\n\(trailer)".utf8)
    }

    static var signedExample: [UInt8] { signedBody(signedChunkSignatures) }
    static var trailerExample: [UInt8] {
        signedBody(
            trailerChunkSignatures,
            trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:\(trailerSignature)\r\n\r\n")
    }

    /// botocore's `AwsChunkedWrapper`: `hex⏎data⏎`, then `0⏎name:value⏎⏎`.
    static func unsignedBody(_ data: [UInt8], chunkSize: Int, trailers: String) -> [UInt8] {
        var body: [UInt8] = []
        var start = 0
        while start < data.count {
            let end = min(data.count, start + chunkSize)
            body += Array("\(String(end - start, radix: 16))\r\n".utf8) + data[start..<end] + Array("\r\n".utf8)
            start = end
        }
        return body + Array("0\r\n\(trailers)".utf8)
    }

    // MARK: Amazon's examples

    /// The seed signatures follow from the examples' headers, so the chain starts where a server's
    /// verification of the `Authorization` header ends.
    func testSeedSignaturesFollowFromTheExampleRequests() {
        let common: [(name: String, value: String)] = [
            ("Host", "s3.amazonaws.com"), ("x-amz-date", Self.timestamp), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("Content-Encoding", "aws-chunked"), ("x-amz-decoded-content-length", "66560"),
        ]
        for (headers, payload, seed) in [
            (common + [("Content-Length", "66824")], AWSStreamingPayload.signed, Self.signedSeed),
            (common + [("x-amz-trailer", "x-amz-checksum-crc32c")], .signedWithTrailer, Self.trailerSeed),
        ] {
            let (request, _) = AWSSignatureV4.canonicalRequest(
                method: "PUT", path: "/examplebucket/chunkObject.txt", query: [],
                headers: headers + [("x-amz-content-sha256", payload.rawValue)], payloadHash: payload.rawValue)
            let text = AWSSignatureV4.stringToSign(
                canonicalRequest: request, timestamp: Self.timestamp, scope: Self.scope)
            XCTAssertEqual(AWSSignatureV4.signature(stringToSign: text, signingKey: Self.signingKey), seed)
        }
    }

    func testSignerReproducesThePublishedChunkSignatures() {
        var signer = Self.signer(seed: Self.signedSeed)
        XCTAssertEqual(signer.signChunk(data: Self.object[..<65_536]), Self.signedChunkSignatures[0])
        XCTAssertEqual(signer.signChunk(data: Self.object[65_536...]), Self.signedChunkSignatures[1])
        XCTAssertEqual(signer.signChunk(data: []), Self.signedChunkSignatures[2])
    }

    func testSignerReproducesThePublishedTrailerSignature() {
        var signer = Self.signer(seed: Self.trailerSeed)
        XCTAssertEqual(signer.signChunk(data: Self.object[..<65_536]), Self.trailerChunkSignatures[0])
        XCTAssertEqual(signer.signChunk(data: Self.object[65_536...]), Self.trailerChunkSignatures[1])
        XCTAssertEqual(signer.signChunk(data: []), Self.trailerChunkSignatures[2])
        XCTAssertEqual(signer.signTrailer([("x-amz-checksum-crc32c", "sOO8/Q==")]), Self.trailerSignature)
    }

    func testDecodesTheSignedExample() throws {
        let body = Self.signedExample
        XCTAssertEqual(body.count, 66_824, "the example's Content-Length")
        let result = try Self.decode(body, .signed, signer: Self.signer(seed: Self.signedSeed), decodedLength: 66_560)
        XCTAssertEqual(result.payload, Self.object)
        XCTAssertTrue(result.trailers.isEmpty)
    }

    func testDecodesTheTrailerExample() throws {
        let result = try Self.decode(
            Self.trailerExample, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed), decodedLength: 66_560)
        XCTAssertEqual(result.payload, Self.object)
        XCTAssertEqual(result.trailers.map(\.name), ["x-amz-checksum-crc32c"])
        XCTAssertEqual(result.trailers.map(\.value), ["sOO8/Q=="])
        XCTAssertEqual(
            S3ChecksumAlgorithm.crc32c.headerValue(crc: UInt64(CRC32.checksum(result.payload, variant: .castagnoli))),
            result.trailers[0].value)
    }

    func testDecodesBotocoresUnsignedTrailerForm() throws {
        let body = Self.unsignedBody(Self.object, chunkSize: 8192, trailers: "x-amz-checksum-crc32:sK4Y7A==\r\n\r\n")
        let result = try Self.decode(body, .unsignedWithTrailer, decodedLength: 66_560)
        XCTAssertEqual(result.payload, Self.object)
        XCTAssertEqual(result.trailers.map(\.name), ["x-amz-checksum-crc32"])
        XCTAssertEqual(result.trailers.map(\.value), ["sK4Y7A=="])
    }

    /// The payload and trailers do not depend on where the network splits the body.
    func testByteByByteEqualsAllAtOnce() throws {
        let cases: [([UInt8], AWSStreamingPayload, String?)] = [
            (Self.signedExample, .signed, Self.signedSeed),
            (Self.trailerExample, .signedWithTrailer, Self.trailerSeed),
            (
                Self.unsignedBody(Self.object, chunkSize: 5000, trailers: "x-amz-checksum-crc32:sK4Y7A==\r\n\r\n"),
                .unsignedWithTrailer, nil
            ),
        ]
        for (body, payload, seed) in cases {
            let whole = try Self.decode(body, payload, signer: seed.map(Self.signer), pieceSizes: [body.count])
            let bytewise = try Self.decode(body, payload, signer: seed.map(Self.signer), pieceSizes: [1])
            let uneven = try Self.decode(
                body, payload, signer: seed.map(Self.signer), pieceSizes: [3, 1, 89, 4096, 2, 65_537])
            XCTAssertEqual(whole.payload, Self.object, "\(payload)")
            XCTAssertEqual(bytewise.payload, whole.payload, "\(payload)")
            XCTAssertEqual(uneven.payload, whole.payload, "\(payload)")
            XCTAssertEqual(bytewise.trailers.map(\.value), whole.trailers.map(\.value), "\(payload)")
            XCTAssertEqual(uneven.trailers.map(\.value), whole.trailers.map(\.value), "\(payload)")
        }
    }

    func testRangesIndexTheFedBuffer() throws {
        var decoder = AWSChunkedDecoder(payload: .unsignedWithTrailer)
        let body = Array("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".utf8)
        let ranges = try body.withUnsafeBytes { buffer in try decoder.feed(buffer) }
        XCTAssertEqual(ranges, [3..<6, 11..<13])
        XCTAssertTrue(try decoder.finish().isEmpty)
        XCTAssertEqual(decoder.decodedByteCount, 5)
    }

    // MARK: Tampering

    func testTamperedChunkIsRejected() {
        var body = Self.signedExample
        body[body.count - 200] = 0x62  // one byte of the 1 KiB chunk
        Self.expect(.chunkSignatureMismatch(chunk: 2), body, .signed, signer: Self.signer(seed: Self.signedSeed))
        var swapped = Self.signedExample
        swapped[30] = swapped[30] == 0x30 ? 0x31 : 0x30  // a digit of chunk 1's signature
        Self.expect(.chunkSignatureMismatch(chunk: 1), swapped, .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    func testWrongSeedIsRejectedAtTheFirstChunk() {
        Self.expect(
            .chunkSignatureMismatch(chunk: 1), Self.signedExample, .signed, signer: Self.signer(seed: Self.trailerSeed))
    }

    func testDroppedChunkIsRejected() {
        let body =
            Array("400;chunk-signature=\(Self.signedChunkSignatures[1])\r\n".utf8) + Self.object[..<1024]
            + Array("\r\n0;chunk-signature=\(Self.signedChunkSignatures[2])\r\n\r\n".utf8)
        Self.expect(.chunkSignatureMismatch(chunk: 1), body, .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    func testTamperedTrailerIsRejected() {
        let altered = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "x-amz-checksum-crc32c:AAAAAA==\r\nx-amz-trailer-signature:\(Self.trailerSignature)\r\n\r\n")
        Self.expect(.trailerSignatureMismatch, altered, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
        let added = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-meta-extra:1\r\n"
                + "x-amz-trailer-signature:\(Self.trailerSignature)\r\n\r\n")
        Self.expect(.trailerSignatureMismatch, added, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
    }

    func testTrailerAfterTheSignatureIsRejected() {
        let body = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:\(Self.trailerSignature)\r\n"
                + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n")
        Self.expect(
            .unexpectedTrailer(line: "x-amz-checksum-crc32:AAAAAA=="), body, .signedWithTrailer,
            signer: Self.signer(seed: Self.trailerSeed))
    }

    func testMissingTrailerSignatureIsRejected() {
        let body = Self.signedBody(Self.trailerChunkSignatures, trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\n\r\n")
        Self.expect(.missingTrailerSignature, body, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
    }

    func testUnsignedChunkInASignedBodyIsRejected() {
        let body = Array("3\r\nabc\r\n0\r\n\r\n".utf8)
        Self.expect(.missingChunkSignature(chunk: 1), body, .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    // MARK: Framing errors

    func testBadHexSize() {
        for line in ["zz", "", "-3", "0x3", "12345678901234567", "ffffffffffffffff"] {
            Self.expect(.invalidChunkSize(line: line), Array("\(line)\r\nabc\r\n0\r\n\r\n".utf8), .unsignedWithTrailer)
        }
    }

    func testChunkLongerThanDeclared() {
        Self.expect(.missingCRLF(chunk: 1), Array("3\r\nabcd\r\n0\r\n\r\n".utf8), .unsignedWithTrailer)
        Self.expect(.missingCRLF(chunk: 2), Array("1\r\na\r\n3\r\nabcdef\r\n0\r\n\r\n".utf8), .unsignedWithTrailer)
    }

    func testMissingCRLFAfterData() {
        Self.expect(.missingCRLF(chunk: 1), Array("3\r\nabc0\r\n\r\n".utf8), .unsignedWithTrailer)
        Self.expect(.missingCRLF(chunk: 1), Array("3\r\nabc\n0\r\n\r\n".utf8), .unsignedWithTrailer)
        Self.expect(.missingCRLF(chunk: 1), Array("3\r\nabc\r0\r\n\r\n".utf8), .unsignedWithTrailer)
    }

    func testOversizeLines() {
        let limit = AWSChunkedDecoder.maximumLineLength
        Self.expect(
            .lineTooLong(limit: limit), Array(("3;" + String(repeating: "x", count: 5000) + "\r\nabc\r\n").utf8),
            .unsignedWithTrailer)
        Self.expect(.lineTooLong(limit: limit), Array(String(repeating: "0", count: 5000).utf8), .unsignedWithTrailer)
        let trailer = "x-amz-meta-long:" + String(repeating: "v", count: 5000) + "\r\n\r\n"
        Self.expect(.lineTooLong(limit: limit), Array("0\r\n\(trailer)".utf8), .unsignedWithTrailer)
        // Exactly at the limit, CRLF included, is accepted.
        let longest = "3;" + String(repeating: "x", count: limit - 4)
        XCTAssertEqual(
            try Self.decode(Array("\(longest)\r\nabc\r\n0\r\n\r\n".utf8), .unsignedWithTrailer).payload,
            Array("abc".utf8))
    }

    func testDataAfterTheEnd() {
        Self.expect(
            .dataAfterEnd, Array("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\nX".utf8), .unsignedWithTrailer)
        Self.expect(
            .dataAfterEnd, Self.signedExample + Array("3\r\nabc".utf8), .signed,
            signer: Self.signer(seed: Self.signedSeed))
        Self.expect(
            .dataAfterEnd, Self.trailerExample + [0x0D], .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed)
        )
    }

    func testTrailerInABodyWithoutTrailers() {
        let body = Self.signedBody(Self.signedChunkSignatures, trailer: "x-amz-checksum-crc32:AAAAAA==\r\n\r\n")
        Self.expect(
            .unexpectedTrailer(line: "x-amz-checksum-crc32:AAAAAA=="), body, .signed,
            signer: Self.signer(seed: Self.signedSeed))
    }

    func testMalformedAndTooManyTrailers() {
        Self.expect(
            .malformedTrailer(line: "no-colon-here"), Array("0\r\nno-colon-here\r\n\r\n".utf8), .unsignedWithTrailer)
        Self.expect(.malformedTrailer(line: ":value"), Array("0\r\n:value\r\n\r\n".utf8), .unsignedWithTrailer)
        let many = (0...AWSChunkedDecoder.maximumTrailerCount).map { "x-amz-meta-\($0):v\r\n" }.joined()
        Self.expect(
            .tooManyTrailers(limit: AWSChunkedDecoder.maximumTrailerCount), Array("0\r\n\(many)\r\n".utf8),
            .unsignedWithTrailer)
    }

    /// Cut anywhere before the trailer section, the body is incomplete.
    func testBodyEndingEarly() {
        let body = Array("5\r\nhello\r\n3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n".utf8)
        let trailerStart = 21  // just after "0\r\n"
        for cut in 0..<trailerStart {
            Self.expect(.truncated, Array(body[..<cut]), .unsignedWithTrailer)
        }
        // Inside a trailer line.
        Self.expect(.truncated, Array(body[..<(trailerStart + 10)]), .unsignedWithTrailer)
        // Signed: inside a chunk.
        Self.expect(.truncated, Array(Self.signedExample[..<1000]), .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    func testDecodedLengthMismatch() {
        let signed = Self.signer(seed: Self.signedSeed)
        Self.expect(
            .decodedLengthMismatch(expected: 66_561, received: 66_560), Self.signedExample, .signed, signer: signed,
            decodedLength: 66_561)
        // Too much payload fails as soon as the first chunk declares it.
        var decoder = AWSChunkedDecoder(payload: .signed, signer: signed, decodedContentLength: 1000)
        XCTAssertThrowsError(
            try Array(Self.signedExample[..<100]).withUnsafeBytes { buffer in try decoder.feed(buffer) }
        ) {
            XCTAssertEqual($0 as? AWSChunkedError, .decodedLengthMismatch(expected: 1000, received: 65_536))
        }
    }

    func testAnErrorIsSticky() {
        var decoder = AWSChunkedDecoder(payload: .unsignedWithTrailer)
        XCTAssertThrowsError(try Array("zz\r\n".utf8).withUnsafeBytes { buffer in try decoder.feed(buffer) })
        XCTAssertThrowsError(try Array("0\r\n\r\n".utf8).withUnsafeBytes { buffer in try decoder.feed(buffer) }) {
            XCTAssertEqual($0 as? AWSChunkedError, .invalidChunkSize(line: "zz"))
        }
        XCTAssertThrowsError(try decoder.finish())
    }

    // MARK: Leniency that real clients need

    func testFinalBlankLineMayBeMissing() throws {
        let unsigned = Array("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n".utf8)
        XCTAssertEqual(try Self.decode(unsigned, .unsignedWithTrailer).trailers.map(\.value), ["NhCmhg=="])
        var signed = Self.signedExample
        signed.removeLast(2)
        XCTAssertEqual(
            try Self.decode(signed, .signed, signer: Self.signer(seed: Self.signedSeed)).payload, Self.object)
        var trailer = Self.trailerExample
        trailer.removeLast(2)
        XCTAssertEqual(
            try Self.decode(trailer, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed)).payload,
            Self.object)
    }

    func testBareLineFeedsInTrailers() throws {
        let body = Array(
            "3\r\nabc\r\n0\nx-amz-checksum-crc32:NhCmhg==\nx-amz-checksum-sha1:qvTGHdzF6KLavt4PO0gs2a6pQ00=\r\n\r\n"
                .utf8)
        let trailers = try Self.decode(body, .unsignedWithTrailer).trailers
        XCTAssertEqual(trailers.map(\.name), ["x-amz-checksum-crc32", "x-amz-checksum-sha1"])
    }

    /// The CRLF after the empty final chunk before the trailers, and a `\n\r\n` ending before the
    /// trailer signature, as some clients send.
    func testBlankLinesBeforeTrailers() throws {
        let unsigned = Array("3\r\nabc\r\n0\r\n\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n".utf8)
        XCTAssertEqual(try Self.decode(unsigned, .unsignedWithTrailer).trailers.map(\.value), ["NhCmhg=="])
        let extraCRLF = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "\r\nx-amz-checksum-crc32c:sOO8/Q==\n\r\nx-amz-trailer-signature:\(Self.trailerSignature)\r\n\r\n")
        let result = try Self.decode(extraCRLF, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
        XCTAssertEqual(result.trailers.map(\.value), ["sOO8/Q=="])
    }

    func testEmptyBodies() throws {
        XCTAssertEqual(try Self.decode(Array("0\r\n\r\n".utf8), .unsignedWithTrailer, decodedLength: 0).payload, [])
        XCTAssertEqual(
            try Self.decode(Array("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n".utf8), .unsignedWithTrailer).trailers
                .count, 1)
    }

    func testOtherChunkExtensionsAndUppercaseHex() throws {
        let body = Array("A;foo=bar\r\n0123456789\r\n0;chunk-signature=ignored\r\n\r\n".utf8)
        XCTAssertEqual(try Self.decode(body, .unsignedWithTrailer).payload, Array("0123456789".utf8))
    }

    // MARK: Helpers

    /// Decodes `body` fed in pieces of the given sizes (repeating the last), then finishes.
    static func decode(
        _ body: [UInt8], _ payload: AWSStreamingPayload, signer: AWSChunkSigner? = nil, decodedLength: Int? = nil,
        pieceSizes: [Int] = [1000]
    ) throws -> (payload: [UInt8], trailers: [(name: String, value: String)]) {
        var decoder = AWSChunkedDecoder(payload: payload, signer: signer, decodedContentLength: decodedLength)
        var output: [UInt8] = []
        var start = 0
        var piece = 0
        while start < body.count {
            let end = min(body.count, start + max(1, pieceSizes[min(piece, pieceSizes.count - 1)]))
            try body[start..<end].withUnsafeBytes { buffer in
                for range in try decoder.feed(buffer) {
                    output += buffer[range]
                }
            }
            start = end
            piece += 1
        }
        return (output, try decoder.finish())
    }

    /// Asserts that decoding `body` (in pieces of 7 bytes, then all at once) fails with `expected`.
    static func expect(
        _ expected: AWSChunkedError, _ body: [UInt8], _ payload: AWSStreamingPayload, signer: AWSChunkSigner? = nil,
        decodedLength: Int? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        for pieces in [[7], [max(1, body.count)]] {
            XCTAssertThrowsError(
                try decode(body, payload, signer: signer, decodedLength: decodedLength, pieceSizes: pieces),
                "pieces of \(pieces[0])", file: file, line: line
            ) { error in
                XCTAssertEqual(error as? AWSChunkedError, expected, "pieces of \(pieces[0])", file: file, line: line)
            }
        }
    }
}
