import Crypto

/// The signature chain of a signed aws-chunked body (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`,
/// with or without `-TRAILER`).
///
/// Each chunk's signature covers its data and the signature before it, starting from the seed
/// signature of the `Authorization` header, so chunks cannot be dropped, reordered or replayed
/// from another request; the trailer signature closes the chain. The server verifies with it and a
/// client signs with it, so the strings to sign are written once.
package struct AWSChunkSigner: Sendable {
    /// The request's `x-amz-date`, `yyyyMMdd'T'HHmmss'Z'`.
    package let timestamp: String
    /// The credential scope of the request's signature.
    package let scope: AWSSignatureV4.Scope
    /// ``AWSSignatureV4/signingKey(secret:scope:)`` of the request's credential.
    package let signingKey: [UInt8]
    /// The signature the next chunk chains from: the seed signature until the first chunk is signed.
    package private(set) var previousSignature: String

    /// A chain that starts at `seedSignature`, the `Signature=` of the request's `Authorization`.
    package init(seedSignature: String, timestamp: String, scope: AWSSignatureV4.Scope, signingKey: [UInt8]) {
        self.previousSignature = seedSignature
        self.timestamp = timestamp
        self.scope = scope
        self.signingKey = signingKey
    }

    /// The signature of the next chunk, given the SHA-256 of its data (of no bytes for the final,
    /// empty chunk); the chain moves on to it.
    package mutating func signChunk(dataSHA256: some Sequence<UInt8>) -> String {
        let text =
            "AWS4-HMAC-SHA256-PAYLOAD\n\(timestamp)\n\(scope.text)\n\(previousSignature)\n"
            + AWSSignatureV4.emptyPayloadSHA256 + "\n" + Hex.encode(dataSHA256)
        previousSignature = AWSSignatureV4.signature(stringToSign: text, signingKey: signingKey)
        return previousSignature
    }

    /// ``signChunk(dataSHA256:)`` of `data`, for a client that holds the chunk it sends.
    package mutating func signChunk(data: some Sequence<UInt8>) -> String {
        signChunk(dataSHA256: SHA256.hash(data: Array(data)))
    }

    /// The `x-amz-trailer-signature` after the final chunk, given the SHA-256 of the trailer lines,
    /// each as `name:value` followed by `\n`.
    package mutating func signTrailer(linesSHA256: some Sequence<UInt8>) -> String {
        let text =
            "AWS4-HMAC-SHA256-TRAILER\n\(timestamp)\n\(scope.text)\n\(previousSignature)\n"
            + Hex.encode(linesSHA256)
        previousSignature = AWSSignatureV4.signature(stringToSign: text, signingKey: signingKey)
        return previousSignature
    }

    /// ``signTrailer(linesSHA256:)`` of these trailers, in this order, for a client that sends them.
    package mutating func signTrailer(_ trailers: [(name: String, value: String)]) -> String {
        var hash = SHA256()
        for trailer in trailers {
            hash.update(data: Array("\(trailer.name):\(trailer.value)\n".utf8))
        }
        return signTrailer(linesSHA256: hash.finalize())
    }
}
