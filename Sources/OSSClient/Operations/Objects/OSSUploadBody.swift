import Foundation
import NIOCore

/// What an upload sends, and therefore how its CRC-64 can be checked.
///
/// Bytes and files are hashed **before** sending, and the CRC goes out in
/// `x-oss-hash-crc64ecma`: the server then refuses a damaged body and stores nothing. A file is
/// read twice for that (once to hash, once to send), with bounded memory. A stream can only be
/// hashed while it is sent, so its damage is found after the server stored it; prefer bytes or
/// files when that matters. Bytes and files are re-sent on retries, streams are not.
public struct OSSUploadBody: Sendable {
    enum Storage: Sendable {
        case bytes(ByteBuffer)
        case file(path: String)
        case stream(@Sendable () -> AnyByteStream, length: Int64?)
    }

    let storage: Storage

    /// Bytes in memory.
    public static func bytes(_ bytes: some Sequence<UInt8>) -> OSSUploadBody {
        OSSUploadBody(storage: .bytes(ByteBuffer(bytes: bytes)))
    }

    /// A byte buffer in memory.
    public static func buffer(_ buffer: ByteBuffer) -> OSSUploadBody {
        OSSUploadBody(storage: .bytes(buffer))
    }

    /// A whole local file, streamed from disk.
    public static func file(_ url: URL) -> OSSUploadBody {
        OSSUploadBody(storage: .file(path: url.path))
    }

    /// A one-shot stream of chunks; `length` (when known) avoids chunked transfer encoding.
    public static func stream<S: AsyncSequence & Sendable>(_ stream: S, length: Int64? = nil) -> OSSUploadBody
    where S.Element == ByteBuffer {
        OSSUploadBody(storage: .stream({ AnyByteStream(stream) }, length: length))
    }
}

/// A type-erased async sequence of byte buffers, so that requests can hold any caller stream.
struct AnyByteStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let makeNext: @Sendable () -> (() async throws -> ByteBuffer?)

    init<S: AsyncSequence & Sendable>(_ stream: S) where S.Element == ByteBuffer {
        makeNext = {
            let pulling = Pulling(stream.makeAsyncIterator())
            return { try await pulling.next() }
        }
    }

    init(makeNext: @escaping @Sendable () -> (() async throws -> ByteBuffer?)) {
        self.makeNext = makeNext
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(pull: makeNext())
    }

    struct Iterator: AsyncIteratorProtocol {
        let pull: () async throws -> ByteBuffer?

        func next() async throws -> ByteBuffer? {
            try await pull()
        }
    }

    /// One pass over a stream, owned by the single pull closure that reads it.
    private final class Pulling<Base: AsyncIteratorProtocol> where Base.Element == ByteBuffer {
        private var base: Base

        init(_ base: Base) { self.base = base }

        func next() async throws -> ByteBuffer? { try await base.next() }
    }
}
