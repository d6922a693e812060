import Crypto
import NIOCore
import OSSProtocol

/// An S3 request body as the operation reads it: decoded from aws-chunked when it is, and
/// checked against what the request promised; the promise is judged when the body ends, and a
/// broken one ends the sequence with an error instead of its end (see ``S3RequestBody``).
struct CheckedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let reading: S3RequestBody

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), reading: reading)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let reading: S3RequestBody
        private var decoder: AWSChunkedDecoder?
        private var payloadSHA256: SHA256?
        private var checksum: S3ChecksumHasher?
        private var finished = false

        init(base: Base.AsyncIterator, reading: S3RequestBody) {
            self.base = base
            self.reading = reading
            switch reading.payload {
            case .sha256: payloadSHA256 = SHA256()
            case .streaming(let kind, let signer):
                decoder = AWSChunkedDecoder(payload: kind, signer: signer, decodedContentLength: reading.decodedLength)
            case .unsigned: break
            }
            checksum = reading.declared.map { S3ChecksumHasher($0.algorithm) }
        }

        mutating func next() async throws -> ByteBuffer? {
            while !finished {
                guard let buffer = try await base.next() else {
                    finished = true
                    try finish()
                    return nil
                }
                let payload = try decode(buffer)
                guard payload.readableBytes > 0 else { continue }
                payload.withUnsafeReadableBytes { bytes in
                    payloadSHA256?.update(bufferPointer: bytes)
                    checksum?.update(bytes)
                }
                return payload
            }
            return nil
        }

        /// The payload bytes of `buffer`: itself, or the chunk data in it of an aws-chunked body,
        /// sliced (not copied) when it lies in one piece.
        private mutating func decode(_ buffer: ByteBuffer) throws(OSSError) -> ByteBuffer {
            guard var decoder else { return buffer }
            defer { self.decoder = decoder }
            let ranges: [Range<Int>]
            do {
                ranges = try buffer.withUnsafeReadableBytes { try decoder.feed($0) }
            } catch {
                // `feed` throws only AWSChunkedError; the closure's rethrow erases the type.
                throw (error as? AWSChunkedError).map(Self.s3Error) ?? S3Errors.invalidRequest("\(error)")
            }
            if ranges.count == 1, let slice = buffer.getSlice(at: buffer.readerIndex + ranges[0].lowerBound, length: ranges[0].count) {
                return slice
            }
            var payload = ByteBuffer()
            payload.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
            for range in ranges {
                payload.writeImmutableBuffer(buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count)!)
            }
            return payload
        }

        /// Judges the body, now whole, against the request's promises.
        private mutating func finish() throws(OSSError) {
            var trailers: [(name: String, value: String)] = []
            if var decoder {
                do {
                    trailers = try decoder.finish()
                } catch {
                    throw Self.s3Error(error)
                }
            }
            if case .sha256(let claimed) = reading.payload, let payloadSHA256 {
                let computed = Hex.encode(payloadSHA256.finalize())
                guard computed == claimed else { throw S3Errors.contentSHA256Mismatch(client: claimed, computed: computed) }
            }
            let announced = reading.declared.map { $0.algorithm.headerName }
            if let stray = trailers.first(where: { $0.name != announced }) {
                throw S3Errors.invalidRequest("The trailer \(stray.name) was not announced in x-amz-trailer.")
            }
            guard let checksum, let declared = reading.declared else { return }
            let digest = checksum.finalize()
            let expected: [UInt8]
            switch declared {
            case .header(_, let value):
                expected = value
            case .trailer(let algorithm):
                guard let value = trailers.first(where: { $0.name == algorithm.headerName })?.value else {
                    throw S3Errors.invalidRequest("The \(algorithm.headerName) trailer announced in x-amz-trailer is missing.")
                }
                do {
                    expected = try algorithm.digest(fromHeaderValue: value)
                } catch {
                    throw S3Errors.invalidRequest(error.message)
                }
            }
            guard digest == expected else { throw S3Errors.badChecksum(declared.algorithm.rawValue) }
            reading.computed.verified = ObjectChecksums.Requested(
                algorithm: checksum.algorithm, value: checksum.algorithm.headerValue(digest: digest))
        }

        /// A broken aws-chunked body as S3 reports it: a chunk or trailer signature that does not
        /// hold is `SignatureDoesNotMatch`, a body cut short `IncompleteBody`.
        static func s3Error(_ error: AWSChunkedError) -> OSSError {
            switch error {
            case .chunkSignatureMismatch, .trailerSignatureMismatch, .missingChunkSignature, .missingTrailerSignature:
                OSSError(code: "SignatureDoesNotMatch", status: 403, message: error.message)
            case .truncated, .decodedLengthMismatch:
                OSSError(code: "IncompleteBody", status: 400, message: error.message)
            default:
                S3Errors.invalidRequest(error.message)
            }
        }
    }
}
