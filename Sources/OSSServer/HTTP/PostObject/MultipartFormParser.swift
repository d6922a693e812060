import Foundation
import NIOCore
import OSSProtocol

#if canImport(Glibc)
import Glibc
#endif

/// An incremental `multipart/form-data` parser (RFC 7578) for PostObject: bytes go in as they
/// arrive, events come out, and nothing but the current part's headers and a delimiter's length
/// of look-ahead is ever held. Part bodies are handed out as slices of the input, so a file part
/// streams through in the chunks the connection delivered.
///
/// Every framing error is 400 `MalformedPOSTRequest`.
struct MultipartFormParser {
    /// What the input contained, in order.
    enum Event: Equatable {
        /// A part starts; its body follows as `.body` events.
        case part(MultipartPartHead)
        /// Bytes of the current part's body, never empty.
        case body(ByteBuffer)
        /// The current part's body is complete.
        case partEnd
        /// The closing delimiter: the form is complete (anything after it is ignored).
        case end
    }

    /// Most bytes of one part's header block.
    static let maximumHeaderBytes = 8 << 10
    /// Most bytes skipped before the first delimiter, or after the last.
    static let maximumPaddingBytes = 64 << 10

    private enum State {
        case preamble, afterDelimiter, headers, body, epilogue
    }

    /// `CRLF--boundary`: what ends every part body.
    private let delimiter: [UInt8]
    private var buffer = ByteBuffer()
    private var state = State.preamble
    private var pendingPartEnd = false
    private var skipped = 0

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may open the body without a line break before it; starting from a
        // virtual CRLF lets one search find every delimiter.
        buffer.writeString("\r\n")
    }

    /// Whether the closing delimiter was seen.
    var isComplete: Bool { state == .epilogue }

    /// Bytes held and not yet handed out: never more than one input chunk plus a delimiter while
    /// a body streams, whatever the part's size.
    var bufferedBytes: Int { buffer.readableBytes }

    mutating func append(_ chunk: ByteBuffer) {
        if state == .epilogue {
            skipped += chunk.readableBytes
            return
        }
        buffer.writeImmutableBuffer(chunk)
    }

    /// The next event, or `nil` when more input is needed.
    mutating func next() throws(OSSError) -> Event? {
        if pendingPartEnd {
            pendingPartEnd = false
            state = .afterDelimiter
            return .partEnd
        }
        switch state {
        case .preamble:
            guard let offset = Self.find(delimiter, in: buffer) else {
                skipped += discardAllButLookAhead()
                guard skipped <= Self.maximumPaddingBytes else { throw .malformedPOSTRequest("no boundary delimiter found.") }
                return nil
            }
            buffer.moveReaderIndex(forwardBy: offset + delimiter.count)
            state = .afterDelimiter
            return try next()
        case .afterDelimiter:
            return try afterDelimiter()
        case .headers:
            return try headers()
        case .body:
            return body()
        case .epilogue:
            guard skipped <= Self.maximumPaddingBytes else { throw .malformedPOSTRequest("too much data after the form.") }
            return nil
        }
    }

    /// Called when the input ended.
    /// - Throws: `MalformedPOSTRequest` unless the closing delimiter was seen.
    func finish() throws(OSSError) {
        guard state == .epilogue else {
            throw .malformedPOSTRequest("the body ended before the closing boundary delimiter.")
        }
    }

    private mutating func afterDelimiter() throws(OSSError) -> Event? {
        // `--` closes the form; otherwise optional spaces (transport padding) and a CRLF.
        let view = buffer.readableBytesView
        guard view.count >= 2 else { return nil }
        if view.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) {
            buffer.moveReaderIndex(forwardBy: 2)
            skipped = buffer.readableBytes
            buffer = ByteBuffer()
            state = .epilogue
            return .end
        }
        guard let lineEnd = view.firstIndex(of: UInt8(ascii: "\n")) else {
            guard view.count <= 256 else { throw .malformedPOSTRequest("a boundary delimiter is not followed by CRLF.") }
            return nil
        }
        let padding = view[view.startIndex..<lineEnd]
        guard padding.last == UInt8(ascii: "\r"), padding.dropLast().allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
            throw .malformedPOSTRequest("a boundary delimiter is not followed by CRLF.")
        }
        buffer.moveReaderIndex(forwardBy: lineEnd - view.startIndex + 1)
        state = .headers
        return try headers()
    }

    private mutating func headers() throws(OSSError) -> Event? {
        let view = buffer.readableBytesView
        let block: Range<Int>
        let consumed: Int
        if view.starts(with: [0x0D, 0x0A]) {
            block = 0..<0
            consumed = 2
        } else if let end = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: buffer) {
            block = 0..<end
            consumed = end + 4
        } else {
            guard view.count <= Self.maximumHeaderBytes else {
                throw .malformedPOSTRequest("the header block of a part is longer than \(Self.maximumHeaderBytes) bytes.")
            }
            return nil
        }
        guard block.count <= Self.maximumHeaderBytes else {
            throw .malformedPOSTRequest("the header block of a part is longer than \(Self.maximumHeaderBytes) bytes.")
        }
        let text = buffer.getString(at: buffer.readerIndex + block.lowerBound, length: block.count) ?? ""
        buffer.moveReaderIndex(forwardBy: consumed)
        state = .body
        return .part(try MultipartPartHead(headerBlock: text))
    }

    private mutating func body() -> Event? {
        if let offset = Self.find(delimiter, in: buffer) {
            let bytes = buffer.readSlice(length: offset)!
            buffer.moveReaderIndex(forwardBy: delimiter.count)
            buffer.discardReadBytes()
            if bytes.readableBytes == 0 {
                state = .afterDelimiter
                return .partEnd
            }
            pendingPartEnd = true
            return .body(bytes)
        }
        // Everything but a possible start of the delimiter is body.
        let safe = buffer.readableBytes - (delimiter.count - 1)
        guard safe > 0 else { return nil }
        let bytes = buffer.readSlice(length: safe)!
        buffer.discardReadBytes()
        return .body(bytes)
    }

    private mutating func discardAllButLookAhead() -> Int {
        let drop = max(buffer.readableBytes - (delimiter.count - 1), 0)
        buffer.moveReaderIndex(forwardBy: drop)
        buffer.discardReadBytes()
        return drop
    }

    /// The offset of `needle` in the readable bytes of `buffer`, or `nil`.
    static func find(_ needle: [UInt8], in buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { haystack -> Int? in
            guard haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
            var start = 0
            let last = haystack.count - needle.count
            while start <= last {
                guard let hit = memchr(base + start, Int32(needle[0]), last - start + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                let matches = needle.withUnsafeBytes { memcmp(base + offset, $0.baseAddress!, needle.count) == 0 }
                if matches { return offset }
                start = offset + 1
            }
            return nil
        }
    }
}
