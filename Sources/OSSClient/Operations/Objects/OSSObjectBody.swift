import AsyncHTTPClient
import CRC64
import NIOConcurrencyHelpers
import NIOCore

/// A GetObject body as it arrives, CRC-checked on the way: when the last chunk has been read,
/// a whole-object body is compared with the server's CRC, and a mismatch is thrown by the final
/// `next()`, so a `for try await` loop over the body fails instead of ending normally.
///
/// The bytes before the end cannot be taken back: a consumer that acts on chunks as they come
/// (for example writing them to a socket) must treat that error as "everything was bad". To
/// publish a file only when it is proven intact, use ``OSSClient/getObject(_:to:)``.
/// The body can be iterated once.
public struct OSSObjectBody: AsyncSequence, Sendable {
    /// Chunks in arrival order.
    public typealias Element = ByteBuffer

    let source: HTTPClientResponse.Body
    let serverCRC: UInt64?
    /// Whether the body is the whole object (200, or a range covering it), so comparable.
    let isWholeObject: Bool
    let check: CRCCheck
    let outcome: NIOLockedValueBox<OSSCRCVerification?>

    /// The result of the check once the body was read to its end; `nil` before that.
    public var crcVerification: OSSCRCVerification? {
        outcome.withLockedValue { $0 }
    }

    /// Starts the single iteration.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: self, source: source.makeAsyncIterator())
    }

    /// Hashes every chunk and checks the total at the end.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let body: OSSObjectBody
        var source: HTTPClientResponse.Body.AsyncIterator
        var hasher = CRC64Hasher(.xz)

        /// The next chunk; at the end, `nil` after a passed check.
        /// - Throws: ``OSSClientError/crcMismatch(_:)`` at the end of a damaged whole-object body.
        public mutating func next() async throws -> ByteBuffer? {
            let next: ByteBuffer?
            do {
                next = try await source.next()
            } catch {
                throw OSSClient.classify(error, attempts: 1)
            }
            guard let chunk = next else {
                try finish()
                return nil
            }
            chunk.withUnsafeReadableBytes { hasher.update($0) }
            return chunk
        }

        private func finish() throws {
            guard body.outcome.withLockedValue({ $0 }) == nil else { return }
            let verification: OSSCRCVerification
            if body.isWholeObject {
                verification = try body.check.verify(server: body.serverCRC, client: hasher.checksum)
            } else {
                verification = body.check.enabled ? .unverified(.partialContent) : .unverified(.disabled)
            }
            body.outcome.withLockedValue { $0 = verification }
        }
    }
}

/// The outcome of a streaming GetObject: headers now, bytes as they arrive.
public struct OSSGetObjectStreamResult: Sendable {
    /// The response headers.
    public var metadata: OSSObjectMetadata
    /// `Content-Range` of a 206; `nil` for a whole object.
    public var contentRange: String?
    /// The bytes; read them to the end (or drop the result) to release the connection.
    public var body: OSSObjectBody
}

extension OSSClient {
    /// Starts reading an object and returns as soon as the headers are in; the body streams
    /// with constant memory and is CRC-checked at its end (see ``OSSObjectBody``).
    ///
    /// Failures before the headers are retried like any request; a body interrupted midway is
    /// not (its bytes were already handed out), and throws ``OSSClientError/transport(_:)``.
    public func getObjectStream(_ request: OSSGetObjectRequest) async throws -> OSSGetObjectStreamResult {
        let response = try await perform(request.wire("GetObject", method: .get)) { $0 }
        let metadata = try OSSObjectMetadata(headers: response.headers)
        let contentRange = response.header("Content-Range")
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "GetObject", bucket: request.bucket, key: request.key)
        let body = OSSObjectBody(
            source: response.body, serverCRC: metadata.crc64,
            isWholeObject: Self.isWholeObject(response),
            check: check, outcome: NIOLockedValueBox(nil))
        return OSSGetObjectStreamResult(metadata: metadata, contentRange: contentRange, body: body)
    }
}
