import OSSProtocol
import Testing

/// aws-chunked bodies: Amazon's two published chunked-upload examples ("Signature Calculations
/// for the Authorization Header: Transferring Payload in Multiple Chunks" and "… Including
/// Trailing Headers"), botocore's unsigned trailer form, the leniencies real SDKs need, and each
/// way the framing can break. Signatures and checksums are the documentation's.
@Suite("aws-chunked decoding")
struct AWSChunkedDecoderTests {
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
    @Test("the seed signatures follow from the example requests", arguments: [
        AWSStreamingPayload.signed, .signedWithTrailer,
    ])
    func seedSignaturesFollowFromTheExampleRequests(payload: AWSStreamingPayload) {
        let common: [(name: String, value: String)] = [
            ("Host", "s3.amazonaws.com"), ("x-amz-date", Self.timestamp), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("Content-Encoding", "aws-chunked"), ("x-amz-decoded-content-length", "66560"),
        ]
        let (extra, seed) =
            payload == .signed
            ? (("Content-Length", "66824"), Self.signedSeed) : (("x-amz-trailer", "x-amz-checksum-crc32c"), Self.trailerSeed)
        let (request, _) = AWSSignatureV4.canonicalRequest(
            method: "PUT", path: "/examplebucket/chunkObject.txt", query: [],
            headers: common + [extra, ("x-amz-content-sha256", payload.rawValue)], payloadHash: payload.rawValue)
        let text = AWSSignatureV4.stringToSign(canonicalRequest: request, timestamp: Self.timestamp, scope: Self.scope)
        #expect(AWSSignatureV4.signature(stringToSign: text, signingKey: Self.signingKey) == seed)
    }

    @Test("the signer reproduces the published chunk signatures")
    func signerReproducesThePublishedChunkSignatures() {
        var signer = Self.signer(seed: Self.signedSeed)
        #expect(signer.signChunk(data: Self.object[..<65_536]) == Self.signedChunkSignatures[0])
        #expect(signer.signChunk(data: Self.object[65_536...]) == Self.signedChunkSignatures[1])
        #expect(signer.signChunk(data: []) == Self.signedChunkSignatures[2])
    }

    @Test("the signer reproduces the published trailer signature")
    func signerReproducesThePublishedTrailerSignature() {
        var signer = Self.signer(seed: Self.trailerSeed)
        #expect(signer.signChunk(data: Self.object[..<65_536]) == Self.trailerChunkSignatures[0])
        #expect(signer.signChunk(data: Self.object[65_536...]) == Self.trailerChunkSignatures[1])
        #expect(signer.signChunk(data: []) == Self.trailerChunkSignatures[2])
        #expect(signer.signTrailer([("x-amz-checksum-crc32c", "sOO8/Q==")]) == Self.trailerSignature)
    }

    @Test("the signed example decodes")
    func decodesTheSignedExample() throws {
        let body = Self.signedExample
        #expect(body.count == 66_824, "the example's Content-Length")
        let result = try Self.decode(body, .signed, signer: Self.signer(seed: Self.signedSeed), decodedLength: 66_560)
        #expect(result.payload == Self.object)
        #expect(result.trailers.isEmpty)
    }

    @Test("the trailer example decodes, and its CRC-32C trailer is the payload's")
    func decodesTheTrailerExample() throws {
        let result = try Self.decode(
            Self.trailerExample, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed), decodedLength: 66_560)
        #expect(result.payload == Self.object)
        #expect(result.trailers.map(\.name) == ["x-amz-checksum-crc32c"])
        #expect(result.trailers.map(\.value) == ["sOO8/Q=="])
        #expect(
            S3ChecksumAlgorithm.crc32c.headerValue(crc: UInt64(CRC32.checksum(result.payload, variant: .castagnoli)))
                == result.trailers.first?.value)
    }

    @Test("botocore's unsigned trailer form decodes")
    func decodesBotocoresUnsignedTrailerForm() throws {
        let body = Self.unsignedBody(Self.object, chunkSize: 8192, trailers: "x-amz-checksum-crc32:sK4Y7A==\r\n\r\n")
        let result = try Self.decode(body, .unsignedWithTrailer, decodedLength: 66_560)
        #expect(result.payload == Self.object)
        #expect(result.trailers.map(\.name) == ["x-amz-checksum-crc32"])
        #expect(result.trailers.map(\.value) == ["sK4Y7A=="])
    }

    /// The payload and trailers do not depend on where the network splits the body.
    @Test("byte by byte, unevenly or all at once, the result is the same", arguments: AWSStreamingPayload.allCases)
    func byteByByteEqualsAllAtOnce(payload: AWSStreamingPayload) throws {
        let (body, signer): ([UInt8], AWSChunkSigner?) =
            switch payload {
            case .signed: (Self.signedExample, Self.signer(seed: Self.signedSeed))
            case .signedWithTrailer: (Self.trailerExample, Self.signer(seed: Self.trailerSeed))
            case .unsignedWithTrailer:
                (Self.unsignedBody(Self.object, chunkSize: 5000, trailers: "x-amz-checksum-crc32:sK4Y7A==\r\n\r\n"), nil)
            }
        let whole = try Self.decode(body, payload, signer: signer, pieceSizes: [body.count])
        let bytewise = try Self.decode(body, payload, signer: signer, pieceSizes: [1])
        let uneven = try Self.decode(body, payload, signer: signer, pieceSizes: [3, 1, 89, 4096, 2, 65_537])
        #expect(whole.payload == Self.object)
        #expect(bytewise.payload == whole.payload)
        #expect(uneven.payload == whole.payload)
        #expect(bytewise.trailers.map(\.value) == whole.trailers.map(\.value))
        #expect(uneven.trailers.map(\.value) == whole.trailers.map(\.value))
    }

    @Test("the ranges index the buffer that was fed")
    func rangesIndexTheFedBuffer() throws {
        var decoder = AWSChunkedDecoder(payload: .unsignedWithTrailer)
        let body = Array("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".utf8)
        let ranges = try body.withUnsafeBytes { buffer in try decoder.feed(buffer) }
        #expect(ranges == [3..<6, 11..<13])
        let trailers = try decoder.finish()
        #expect(trailers.isEmpty)
        #expect(decoder.decodedByteCount == 5)
    }

    // MARK: Tampering

    @Test("a changed byte of a chunk or of a chunk signature is refused")
    func tamperedChunkIsRejected() {
        var body = Self.signedExample
        body[body.count - 200] = 0x62  // one byte of the 1 KiB chunk
        Self.expectRejection(.chunkSignatureMismatch(chunk: 2), body, .signed, signer: Self.signer(seed: Self.signedSeed))
        var swapped = Self.signedExample
        swapped[30] = swapped[30] == 0x30 ? 0x31 : 0x30  // a digit of chunk 1's signature
        Self.expectRejection(
            .chunkSignatureMismatch(chunk: 1), swapped, .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    @Test("a wrong seed is refused at the first chunk")
    func wrongSeedIsRejectedAtTheFirstChunk() {
        Self.expectRejection(
            .chunkSignatureMismatch(chunk: 1), Self.signedExample, .signed, signer: Self.signer(seed: Self.trailerSeed))
    }

    @Test("a dropped chunk is refused")
    func droppedChunkIsRejected() {
        let body =
            Array("400;chunk-signature=\(Self.signedChunkSignatures[1])\r\n".utf8) + Self.object[..<1024]
            + Array("\r\n0;chunk-signature=\(Self.signedChunkSignatures[2])\r\n\r\n".utf8)
        Self.expectRejection(.chunkSignatureMismatch(chunk: 1), body, .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    @Test("a changed or added trailer is refused")
    func tamperedTrailerIsRejected() {
        let altered = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "x-amz-checksum-crc32c:AAAAAA==\r\nx-amz-trailer-signature:\(Self.trailerSignature)\r\n\r\n")
        Self.expectRejection(
            .trailerSignatureMismatch, altered, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
        let added = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-meta-extra:1\r\n"
                + "x-amz-trailer-signature:\(Self.trailerSignature)\r\n\r\n")
        Self.expectRejection(
            .trailerSignatureMismatch, added, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
    }

    @Test("a trailer after the trailer signature is refused")
    func trailerAfterTheSignatureIsRejected() {
        let body = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:\(Self.trailerSignature)\r\n"
                + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n")
        Self.expectRejection(
            .unexpectedTrailer(line: "x-amz-checksum-crc32:AAAAAA=="), body, .signedWithTrailer,
            signer: Self.signer(seed: Self.trailerSeed))
    }

    @Test("a signed body with trailers but no trailer signature is refused")
    func missingTrailerSignatureIsRejected() {
        let body = Self.signedBody(Self.trailerChunkSignatures, trailer: "x-amz-checksum-crc32c:sOO8/Q==\r\n\r\n")
        Self.expectRejection(
            .missingTrailerSignature, body, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
    }

    @Test("an unsigned chunk in a signed body is refused")
    func unsignedChunkInASignedBodyIsRejected() {
        let body = Array("3\r\nabc\r\n0\r\n\r\n".utf8)
        Self.expectRejection(.missingChunkSignature(chunk: 1), body, .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    // MARK: Framing errors

    @Test("a chunk size that is not 1 to 16 hex digits", arguments: [
        "zz", "", "-3", "0x3", "12345678901234567", "ffffffffffffffff",
    ])
    func badHexSize(line: String) {
        Self.expectRejection(.invalidChunkSize(line: line), Array("\(line)\r\nabc\r\n0\r\n\r\n".utf8), .unsignedWithTrailer)
    }

    @Test("a chunk longer than declared")
    func chunkLongerThanDeclared() {
        Self.expectRejection(.missingCRLF(chunk: 1), Array("3\r\nabcd\r\n0\r\n\r\n".utf8), .unsignedWithTrailer)
        Self.expectRejection(.missingCRLF(chunk: 2), Array("1\r\na\r\n3\r\nabcdef\r\n0\r\n\r\n".utf8), .unsignedWithTrailer)
    }

    @Test("chunk data not followed by CRLF", arguments: ["3\r\nabc0\r\n\r\n", "3\r\nabc\n0\r\n\r\n", "3\r\nabc\r0\r\n\r\n"])
    func missingCRLFAfterData(body: String) {
        Self.expectRejection(.missingCRLF(chunk: 1), Array(body.utf8), .unsignedWithTrailer)
    }

    @Test("lines over the limit are refused; a line at the limit is not")
    func oversizeLines() throws {
        let limit = AWSChunkedDecoder.maximumLineLength
        Self.expectRejection(
            .lineTooLong(limit: limit), Array(("3;" + String(repeating: "x", count: 5000) + "\r\nabc\r\n").utf8),
            .unsignedWithTrailer)
        Self.expectRejection(.lineTooLong(limit: limit), Array(String(repeating: "0", count: 5000).utf8), .unsignedWithTrailer)
        let trailer = "x-amz-meta-long:" + String(repeating: "v", count: 5000) + "\r\n\r\n"
        Self.expectRejection(.lineTooLong(limit: limit), Array("0\r\n\(trailer)".utf8), .unsignedWithTrailer)
        // Exactly at the limit, CRLF included, is accepted.
        let longest = "3;" + String(repeating: "x", count: limit - 4)
        #expect(
            try Self.decode(Array("\(longest)\r\nabc\r\n0\r\n\r\n".utf8), .unsignedWithTrailer).payload
                == Array("abc".utf8))
    }

    @Test("data after the end of the body")
    func dataAfterTheEnd() {
        Self.expectRejection(
            .dataAfterEnd, Array("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\nX".utf8), .unsignedWithTrailer)
        Self.expectRejection(
            .dataAfterEnd, Self.signedExample + Array("3\r\nabc".utf8), .signed,
            signer: Self.signer(seed: Self.signedSeed))
        Self.expectRejection(
            .dataAfterEnd, Self.trailerExample + [0x0D], .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
    }

    @Test("a trailer in a body declared without trailers")
    func trailerInABodyWithoutTrailers() {
        let body = Self.signedBody(Self.signedChunkSignatures, trailer: "x-amz-checksum-crc32:AAAAAA==\r\n\r\n")
        Self.expectRejection(
            .unexpectedTrailer(line: "x-amz-checksum-crc32:AAAAAA=="), body, .signed,
            signer: Self.signer(seed: Self.signedSeed))
    }

    @Test("malformed trailers, and too many of them")
    func malformedAndTooManyTrailers() {
        Self.expectRejection(
            .malformedTrailer(line: "no-colon-here"), Array("0\r\nno-colon-here\r\n\r\n".utf8), .unsignedWithTrailer)
        Self.expectRejection(.malformedTrailer(line: ":value"), Array("0\r\n:value\r\n\r\n".utf8), .unsignedWithTrailer)
        let many = (0...AWSChunkedDecoder.maximumTrailerCount).map { "x-amz-meta-\($0):v\r\n" }.joined()
        Self.expectRejection(
            .tooManyTrailers(limit: AWSChunkedDecoder.maximumTrailerCount), Array("0\r\n\(many)\r\n".utf8),
            .unsignedWithTrailer)
    }

    /// Cut anywhere before the trailer section, the body is incomplete.
    @Test("a body that ends early is truncated")
    func bodyEndingEarly() {
        let body = Array("5\r\nhello\r\n3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n".utf8)
        let trailerStart = 21  // just after "0\r\n"
        for cut in 0..<trailerStart {
            Self.expectRejection(.truncated, Array(body[..<cut]), .unsignedWithTrailer)
        }
        // Inside a trailer line.
        Self.expectRejection(.truncated, Array(body[..<(trailerStart + 10)]), .unsignedWithTrailer)
        // Signed: inside a chunk.
        Self.expectRejection(
            .truncated, Array(Self.signedExample[..<1000]), .signed, signer: Self.signer(seed: Self.signedSeed))
    }

    @Test("a payload longer or shorter than x-amz-decoded-content-length")
    func decodedLengthMismatch() {
        let signed = Self.signer(seed: Self.signedSeed)
        Self.expectRejection(
            .decodedLengthMismatch(expected: 66_561, received: 66_560), Self.signedExample, .signed, signer: signed,
            decodedLength: 66_561)
        // Too much payload fails as soon as the first chunk declares it.
        var decoder = AWSChunkedDecoder(payload: .signed, signer: signed, decodedContentLength: 1000)
        #expect(throws: AWSChunkedError.decodedLengthMismatch(expected: 1000, received: 65_536)) {
            try Array(Self.signedExample[..<100]).withUnsafeBytes { buffer in try decoder.feed(buffer) }
        }
    }

    @Test("an error is sticky")
    func anErrorIsSticky() {
        var decoder = AWSChunkedDecoder(payload: .unsignedWithTrailer)
        #expect(throws: AWSChunkedError.self) { try Array("zz\r\n".utf8).withUnsafeBytes { buffer in try decoder.feed(buffer) } }
        #expect(throws: AWSChunkedError.invalidChunkSize(line: "zz")) {
            try Array("0\r\n\r\n".utf8).withUnsafeBytes { buffer in try decoder.feed(buffer) }
        }
        #expect(throws: AWSChunkedError.self) { try decoder.finish() }
    }

    // MARK: Leniency that real clients need

    @Test("the final blank line may be missing")
    func finalBlankLineMayBeMissing() throws {
        let unsigned = Array("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n".utf8)
        #expect(try Self.decode(unsigned, .unsignedWithTrailer).trailers.map(\.value) == ["NhCmhg=="])
        var signed = Self.signedExample
        signed.removeLast(2)
        #expect(try Self.decode(signed, .signed, signer: Self.signer(seed: Self.signedSeed)).payload == Self.object)
        var trailer = Self.trailerExample
        trailer.removeLast(2)
        #expect(
            try Self.decode(trailer, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed)).payload
                == Self.object)
    }

    @Test("bare line feeds in trailers")
    func bareLineFeedsInTrailers() throws {
        let body = Array(
            "3\r\nabc\r\n0\nx-amz-checksum-crc32:NhCmhg==\nx-amz-checksum-sha1:qvTGHdzF6KLavt4PO0gs2a6pQ00=\r\n\r\n"
                .utf8)
        let trailers = try Self.decode(body, .unsignedWithTrailer).trailers
        #expect(trailers.map(\.name) == ["x-amz-checksum-crc32", "x-amz-checksum-sha1"])
    }

    /// The CRLF after the empty final chunk before the trailers, and a `\n\r\n` ending before the
    /// trailer signature, as some clients send.
    @Test("blank lines before the trailers")
    func blankLinesBeforeTrailers() throws {
        let unsigned = Array("3\r\nabc\r\n0\r\n\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n".utf8)
        #expect(try Self.decode(unsigned, .unsignedWithTrailer).trailers.map(\.value) == ["NhCmhg=="])
        let extraCRLF = Self.signedBody(
            Self.trailerChunkSignatures,
            trailer: "\r\nx-amz-checksum-crc32c:sOO8/Q==\n\r\nx-amz-trailer-signature:\(Self.trailerSignature)\r\n\r\n")
        let result = try Self.decode(extraCRLF, .signedWithTrailer, signer: Self.signer(seed: Self.trailerSeed))
        #expect(result.trailers.map(\.value) == ["sOO8/Q=="])
    }

    @Test("empty bodies")
    func emptyBodies() throws {
        #expect(try Self.decode(Array("0\r\n\r\n".utf8), .unsignedWithTrailer, decodedLength: 0).payload == [])
        #expect(
            try Self.decode(Array("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n".utf8), .unsignedWithTrailer).trailers
                .count == 1)
    }

    @Test("other chunk extensions and upper-case hex")
    func otherChunkExtensionsAndUppercaseHex() throws {
        let body = Array("A;foo=bar\r\n0123456789\r\n0;chunk-signature=ignored\r\n\r\n".utf8)
        #expect(try Self.decode(body, .unsignedWithTrailer).payload == Array("0123456789".utf8))
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

    /// Expects decoding `body` (in pieces of 7 bytes, then all at once) to fail with `expected`.
    static func expectRejection(
        _ expected: AWSChunkedError, _ body: [UInt8], _ payload: AWSStreamingPayload, signer: AWSChunkSigner? = nil,
        decodedLength: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for pieces in [[7], [max(1, body.count)]] {
            #expect(throws: expected, "pieces of \(pieces[0])", sourceLocation: sourceLocation) {
                try decode(body, payload, signer: signer, decodedLength: decodedLength, pieceSizes: pieces)
            }
        }
    }
}
