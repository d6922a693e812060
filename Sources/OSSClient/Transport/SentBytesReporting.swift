import NIOConcurrencyHelpers
import NIOCore

/// Receives body bytes as the HTTP client takes them for sending: positive counts as chunks go
/// out, and a negative count when an attempt fails (what it had sent), so a progress total never
/// counts a byte twice across retries.
typealias SentBytesReporter = @Sendable (Int64) -> Void

/// A request body that reports each chunk as the HTTP client pulls it, which happens as the
/// connection accepts data: progress moves while a part is on the wire, not only when it ends.
struct SentBytesReporting<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let report: SentBytesReporter

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), report: report)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let report: SentBytesReporter

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            report(Int64(chunk.readableBytes))
            return chunk
        }
    }
}

/// Tracks what the current attempt of one request reported, to take it back when the attempt
/// fails.
struct AttemptSentBytes: Sendable {
    private let sent = NIOLockedValueBox(Int64(0))
    let report: SentBytesReporter

    /// A reporter for the attempts of one request, forwarding to `report`.
    var reporter: SentBytesReporter {
        { [sent, report] count in
            sent.withLockedValue { $0 += count }
            report(count)
        }
    }

    /// Takes back what the failed attempt reported.
    func attemptFailed() {
        let count = sent.withLockedValue { value in
            defer { value = 0 }
            return value
        }
        if count != 0 { report(-count) }
    }
}

/// A buffer as a sequence of slices (views, no copies), so that sending it can be reported
/// slice by slice.
struct BufferSlices: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let buffer: ByteBuffer
    var sliceSize = 1 << 20

    func makeAsyncIterator() -> Iterator {
        Iterator(remaining: buffer, sliceSize: sliceSize)
    }

    struct Iterator: AsyncIteratorProtocol {
        var remaining: ByteBuffer
        let sliceSize: Int

        mutating func next() async -> ByteBuffer? {
            guard remaining.readableBytes > 0 else { return nil }
            return remaining.readSlice(length: Swift.min(sliceSize, remaining.readableBytes))
        }
    }
}
