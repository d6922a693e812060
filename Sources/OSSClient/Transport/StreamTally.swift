import CRC64
import NIOConcurrencyHelpers
import NIOCore

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
            nonisolated(unsafe) var stage = head == nil ? 1 : 0
            return {
                if stage == 0 {
                    stage = 1
                    return head
                }
                if stage == 1 {
                    if let chunk = try await next() {
                        state.withLockedValue { state in
                            chunk.withUnsafeReadableBytes { state.hasher.update($0) }
                            state.count += Int64(chunk.readableBytes)
                        }
                        return chunk
                    }
                    stage = 2
                    if let tail { return tail }
                }
                return nil
            }
        }
    }
}
