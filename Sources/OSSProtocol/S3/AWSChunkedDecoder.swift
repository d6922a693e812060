import Crypto

/// An incremental decoder of aws-chunked bodies: bytes go in as they arrive, and it answers which
/// of them are payload, so a body of any size streams through without being copied or buffered.
///
/// The framing is `hex-size[;chunk-signature=sig]⏎data⏎` per chunk, a final chunk of size 0, then
/// trailer lines `name:value⏎` (and `x-amz-trailer-signature:sig⏎` when signed) and a blank line.
/// Lines may end in a bare LF, blank lines are tolerated where SDKs are known to put them, and the
/// final blank line may be missing; the CRLF after chunk data may not.
///
/// Payload handed out is not authenticated yet: a chunk's signature is checked when its data
/// ends, and the body as a whole only by ``finish()``. Write to a temporary place and publish
/// after `finish()` returns.
package struct AWSChunkedDecoder: Sendable {
    /// The longest chunk-size or trailer line accepted, terminator included.
    package static let maximumLineLength = 4096
    /// The most trailers accepted.
    package static let maximumTrailerCount = 32

    /// The kind of body being decoded.
    package let payload: AWSStreamingPayload
    /// `x-amz-decoded-content-length`, when the request has it.
    package let decodedContentLength: Int?
    /// Payload bytes handed out so far.
    package private(set) var decodedByteCount = 0

    private enum State: Sendable {
        case sizeLine
        case data
        case dataCR
        case dataLF
        case trailers
        case end
        case failed(AWSChunkedError)
    }

    private var state = State.sizeLine
    private var signer: AWSChunkSigner?
    /// A line split across calls to `feed`.
    private var pendingLine: [UInt8] = []
    /// The current chunk, counted from 1, for error messages.
    private var chunkNumber = 0
    private var chunkRemaining = 0
    private var declaredSignature: [UInt8] = []
    private var chunkHash = SHA256()
    private var trailerHash = SHA256()
    private var trailers: [(name: String, value: String)] = []
    private var sawTrailerSignature = false
    private var sawBlankBeforeTrailers = false

    /// A decoder for a body of kind `payload`.
    ///
    /// - Parameters:
    ///   - signer: the request's chain, required exactly when `payload` is signed.
    ///   - decodedContentLength: `x-amz-decoded-content-length`; a body that declares more payload
    ///     fails as soon as the chunk that exceeds it begins, one with less at ``finish()``.
    package init(payload: AWSStreamingPayload, signer: AWSChunkSigner? = nil, decodedContentLength: Int? = nil) {
        precondition(payload.isSigned == (signer != nil), "a signer is needed exactly for signed payloads")
        precondition((decodedContentLength ?? 0) >= 0, "a length cannot be negative")
        self.payload = payload
        self.signer = signer
        self.decodedContentLength = decodedContentLength
    }

    /// Decodes the next bytes of the body and returns where the payload is among them, in order.
    ///
    /// The ranges index `bytes` (offset 0 is its first byte), so a caller that owns a buffer
    /// slices it rather than copying. After an error the decoder stays failed.
    package mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(AWSChunkedError) -> [Range<Int>] {
        do {
            return try decode(bytes)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Ends the body and returns its trailers (names lower-cased, values trimmed, without
    /// `x-amz-trailer-signature`).
    ///
    /// - Throws: ``AWSChunkedError/truncated`` when the body stopped inside the framing,
    ///   ``AWSChunkedError/missingTrailerSignature`` for a signed trailer section without its
    ///   signature, ``AWSChunkedError/decodedLengthMismatch(expected:received:)`` when the payload
    ///   is not `x-amz-decoded-content-length` bytes long.
    package mutating func finish() throws(AWSChunkedError) -> [(name: String, value: String)] {
        switch state {
        case .end:
            break
        case .trailers where pendingLine.isEmpty:
            break  // the final blank line is missing; every line before it was whole
        case .failed(let error):
            throw error
        default:
            state = .failed(.truncated)
            throw .truncated
        }
        if payload == .signedWithTrailer && !sawTrailerSignature {
            state = .failed(.missingTrailerSignature)
            throw .missingTrailerSignature
        }
        if let expected = decodedContentLength, expected != decodedByteCount {
            let error = AWSChunkedError.decodedLengthMismatch(expected: expected, received: decodedByteCount)
            state = .failed(error)
            throw error
        }
        state = .end
        return trailers
    }

    private mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(AWSChunkedError) -> [Range<Int>] {
        var payloadRanges: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            switch state {
            case .sizeLine, .trailers:
                guard let line = try nextLine(bytes, from: &index) else { continue }
                if case .sizeLine = state {
                    try beginChunk(line)
                } else {
                    try readTrailerLine(line)
                }
            case .data:
                let count = min(chunkRemaining, bytes.count - index)
                let range = index..<(index + count)
                payloadRanges.append(range)
                if signer != nil {
                    chunkHash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[range]))
                }
                chunkRemaining -= count
                decodedByteCount += count
                index += count
                if chunkRemaining == 0 {
                    try verifyChunk()
                    state = .dataCR
                }
            case .dataCR:
                guard bytes[index] == 13 else { throw .missingCRLF(chunk: chunkNumber) }
                index += 1
                state = .dataLF
            case .dataLF:
                guard bytes[index] == 10 else { throw .missingCRLF(chunk: chunkNumber) }
                index += 1
                state = .sizeLine
            case .end:
                throw .dataAfterEnd
            case .failed(let error):
                throw error
            }
        }
        return payloadRanges
    }

    /// The next whole line without its LF or CRLF, or `nil` when `bytes` ends inside it (the
    /// start is kept for the next call).
    private mutating func nextLine(_ bytes: UnsafeRawBufferPointer, from index: inout Int) throws(AWSChunkedError)
        -> [UInt8]?
    {
        let rest = bytes[index...]
        let end = rest.firstIndex(of: 10)
        let taken = (end ?? bytes.count) - index
        guard pendingLine.count + taken + (end == nil ? 0 : 1) <= Self.maximumLineLength else {
            throw .lineTooLong(limit: Self.maximumLineLength)
        }
        pendingLine.append(contentsOf: rest.prefix(taken))
        guard let end else {
            index = bytes.count
            return nil
        }
        index = end + 1
        var line = pendingLine
        pendingLine.removeAll(keepingCapacity: true)
        if line.last == 13 { line.removeLast() }
        return line
    }

    /// Reads `hex-size[;name=value]*` and starts the chunk it declares.
    private mutating func beginChunk(_ line: [UInt8]) throws(AWSChunkedError) {
        let fields = line.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        let sizeDigits = fields[0].trimmingSpaces()
        guard (1...16).contains(sizeDigits.count), let size = Self.hexValue(sizeDigits) else {
            throw .invalidChunkSize(line: String(decoding: line, as: UTF8.self))
        }
        chunkNumber += 1
        declaredSignature = []
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { continue }
            if field[..<equals].trimmingSpaces().elementsEqual("chunk-signature".utf8) {
                declaredSignature = Array(field[(equals + 1)...].trimmingSpaces())
            }
        }
        if signer != nil && declaredSignature.isEmpty {
            throw .missingChunkSignature(chunk: chunkNumber)
        }
        if let expected = decodedContentLength, size > expected - decodedByteCount {
            let declared = size > Int.max - decodedByteCount ? Int.max : decodedByteCount + size
            throw .decodedLengthMismatch(expected: expected, received: declared)
        }
        chunkHash = SHA256()
        if size == 0 {
            try verifyChunk()
            state = .trailers
        } else {
            chunkRemaining = size
            state = .data
        }
    }

    private mutating func verifyChunk() throws(AWSChunkedError) {
        guard signer != nil else { return }
        let expected = signer!.signChunk(dataSHA256: chunkHash.finalize())
        guard Self.signaturesMatch(expected, declaredSignature) else {
            throw .chunkSignatureMismatch(chunk: chunkNumber)
        }
    }

    /// One line after the final chunk: a trailer, the trailer signature, or a blank line.
    private mutating func readTrailerLine(_ line: [UInt8]) throws(AWSChunkedError) {
        if line.isEmpty {
            switch payload {
            case .signed:
                state = .end
            case .unsignedWithTrailer:
                // One blank line may precede the trailers: the CRLF after the empty final chunk.
                if trailers.isEmpty && !sawBlankBeforeTrailers { sawBlankBeforeTrailers = true } else { state = .end }
            case .signedWithTrailer:
                // Before the signature, blank lines are that same CRLF or a `\n\r\n` line ending.
                if sawTrailerSignature { state = .end }
            }
            return
        }
        let text = String(decoding: line, as: UTF8.self)
        guard payload.hasTrailer && !sawTrailerSignature else { throw .unexpectedTrailer(line: text) }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            throw .malformedTrailer(line: text)
        }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[(colon + 1)...].trimmingSpaces(), as: UTF8.self)
        if name == "x-amz-trailer-signature", signer != nil {
            let expected = signer!.signTrailer(linesSHA256: trailerHash.finalize())
            guard Self.signaturesMatch(expected, Array(value.utf8)) else { throw .trailerSignatureMismatch }
            sawTrailerSignature = true
            return
        }
        guard trailers.count < Self.maximumTrailerCount else {
            throw .tooManyTrailers(limit: Self.maximumTrailerCount)
        }
        trailers.append((name, value))
        trailerHash.update(data: line)
        trailerHash.update(data: [10])
    }

    /// Compares lower-case hex without an early exit; a received signature may be in either case.
    private static func signaturesMatch(_ expected: String, _ received: [UInt8]) -> Bool {
        let lowered = received.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return MAC.constantTimeEqual(expected, String(decoding: lowered, as: UTF8.self))
    }

    private static func hexValue(_ digits: some Collection<UInt8>) -> Int? {
        var value: UInt64 = 0
        for digit in digits {
            guard let nibble = Hex.value(of: digit) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        return value <= UInt64(Int.max) ? Int(value) : nil
    }
}

extension BidirectionalCollection<UInt8> {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> SubSequence {
        let isText: (UInt8) -> Bool = { $0 != 32 && $0 != 9 }
        guard let first = firstIndex(where: isText), let last = lastIndex(where: isText) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
