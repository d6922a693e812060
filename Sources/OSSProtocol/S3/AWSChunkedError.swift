/// Why an aws-chunked body was rejected; chunks are counted from 1.
package enum AWSChunkedError: Error, Sendable, Hashable {
    /// A chunk-size line whose size is not 1 to 16 hex digits (within `Int`); carries the line.
    case invalidChunkSize(line: String)
    /// A chunk-size or trailer line longer than `limit` bytes: not a client, or not this encoding.
    case lineTooLong(limit: Int)
    /// The data of this chunk is not followed by CRLF: the chunk is longer than its declared size,
    /// or the CRLF is missing.
    case missingCRLF(chunk: Int)
    /// A signed body's chunk without a `chunk-signature` extension.
    case missingChunkSignature(chunk: Int)
    /// This chunk's data does not match its `chunk-signature`: altered, reordered, or signed with
    /// another key.
    case chunkSignatureMismatch(chunk: Int)
    /// A trailer line that is not `name:value`.
    case malformedTrailer(line: String)
    /// More trailers than `limit`.
    case tooManyTrailers(limit: Int)
    /// A trailer where none may be: in a body declared without trailers, or after the trailer
    /// signature (which would leave it unsigned).
    case unexpectedTrailer(line: String)
    /// A `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER` body that ended without
    /// `x-amz-trailer-signature`.
    case missingTrailerSignature
    /// The trailers do not match `x-amz-trailer-signature`.
    case trailerSignatureMismatch
    /// Bytes after the end of the encoding.
    case dataAfterEnd
    /// The body ended inside a chunk or a line, or before the final chunk.
    case truncated
    /// The payload is not `x-amz-decoded-content-length` bytes long; `received` is what the body
    /// holds or, when a chunk declares too much, at least declares.
    case decodedLengthMismatch(expected: Int, received: Int)

    /// A message for the error response, naming the problem and what the client should send.
    package var message: String {
        switch self {
        case .invalidChunkSize(let line):
            "The aws-chunked size line \"\(line.prefix(80))\" does not start with a hexadecimal chunk size."
        case .lineTooLong(let limit):
            "An aws-chunked size or trailer line is longer than \(limit) bytes."
        case .missingCRLF(let chunk):
            "Chunk \(chunk) of the aws-chunked body is longer than its declared size or not followed by CRLF."
        case .missingChunkSignature(let chunk):
            "Chunk \(chunk) of a signed aws-chunked body has no chunk-signature."
        case .chunkSignatureMismatch(let chunk):
            "The signature of chunk \(chunk) does not match its data; check the secret key and the signing method."
        case .malformedTrailer(let line):
            "The aws-chunked trailer \"\(line.prefix(80))\" is not of the form name:value."
        case .tooManyTrailers(let limit):
            "The aws-chunked body has more than \(limit) trailers."
        case .unexpectedTrailer(let line):
            "The aws-chunked trailer \"\(line.prefix(80))\" is not allowed here: declare trailers in "
                + "x-amz-content-sha256 and send them before x-amz-trailer-signature."
        case .missingTrailerSignature:
            "The aws-chunked body ends without x-amz-trailer-signature."
        case .trailerSignatureMismatch:
            "The trailer signature does not match the trailers; check the secret key and the signing method."
        case .dataAfterEnd:
            "The aws-chunked body continues after its end."
        case .truncated:
            "The aws-chunked body ended before its final chunk and trailers."
        case .decodedLengthMismatch(let expected, let received):
            "The aws-chunked body holds \(received) bytes of payload but x-amz-decoded-content-length is \(expected)."
        }
    }
}
