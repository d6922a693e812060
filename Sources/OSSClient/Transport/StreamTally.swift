import CRC64
import NIOConcurrencyHelpers
import NIOCore

/// Where one pass over a framed stream is, owned by the single pull closure that reads it.
private final class Stage {
    enum Part { case head, body, done }
    var current: Part
    init(_ current: Part) { self.current = current }
}

/// Hashes and counts a caller's one-shot stream while it is sent: a stream cannot be read twice,
/// so its CRC-64 is only known once the request has gone out.
struct StreamTally: Sendable {
    private let state = NIOLockedValueBox((hasher: CRC64Hasher(.xz), count: Int64(0)))

    /// The CRC-64 of the bytes sent so far.
    var crc: UInt64 { state.withLockedValue { $0.hasher.checksum } }
    /// The bytes sent so far.
    var count: Int64 { state.withLockedValue { $0.count } }

    /// `source`, tallied as it is read, optionally framed by bytes that are sent but not tallied
    /// (a PostObject form's fields before the file, its closing delimiter after).
    func tallying(_ source: AnyByteStream, head: ByteBuffer? = nil, tail: ByteBuffer? = nil) -> AnyByteStream {
        AnyByteStream {
            let next = source.makeNext()
            let stage = Stage(head == nil ? .body : .head)
            return {
                switch stage.current {
                case .head:
                    stage.current = .body
                    return head
                case .body:
                    if let chunk = try await next() {
                        state.withLockedValue { state in
                            chunk.withUnsafeReadableBytes { state.hasher.update($0) }
                            state.count += Int64(chunk.readableBytes)
                        }
                        return chunk
                    }
                    stage.current = .done
                    return tail
                case .done:
                    return nil
                }
            }
        }
    }
}
