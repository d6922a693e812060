#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1

/// Lets a request carry both `Transfer-Encoding: chunked` and `Content-Length`, as RFC 9112 §6.3
/// says a server may take it: the transfer coding frames the body and the length is ignored. The
/// connection then ends after the answer, since a proxy in front might have framed the body by
/// the length (the smuggling defence the RFC asks for).
///
/// libcurl-based clients (Alibaba's C SDK on every PUT and POST) send both; NIO's parser refuses
/// the pair outright. This handler sits in front of the parser, on bytes. It passes each head on
/// line by line as it arrives (so the parser still refuses garbage at once), holding back only
/// `Content-Length` lines until the head ends: for exactly one length with `Transfer-Encoding`
/// exactly `chunked`, the length is dropped for `Connection: close`; otherwise it goes on
/// unchanged, just before the blank line. Anything looser stays the parser's to refuse: two
/// lengths, a length with another coding, a malformed head.
///
/// To find the next head it follows the framing of the requests before it: a head, then a body
/// of `Content-Length` bytes. After a chunked body (whose end only the parser tracks) it stops
/// looking and passes bytes through: such a request is the connection's last when it carried a
/// length too, and otherwise followed by ordinary requests the parser frames alone.
final class ChunkedLengthReconciler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum State {
        /// In a request line, forwarded as it arrives: the parser judges it at once.
        case requestLine
        /// In the header lines of a head.
        case headers(HeadScan)
        /// Inside a body of this many more bytes.
        case body(remaining: Int)
        /// Not looking any more.
        case passThrough
    }

    /// What the header lines of one head held so far.
    struct HeadScan {
        /// The `Content-Length` lines, held back until the head ends.
        var lengthLines = ByteBuffer()
        var lengths: [[UInt8]] = []
        var codings: [[UInt8]] = []
        /// The start of a line not complete yet.
        var partial = ByteBuffer()
    }

    /// A header line longer than this is left to the parser, which refuses heads above 80 KiB.
    static let lineLimit = 96 << 10

    private var state = State.requestLine

    /// Forwards what it can as slices of the bytes received (no copy: bodies and most heads pass
    /// in one piece); only held lines and lines split across reads are copied.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var input = unwrapInboundIn(data)
        /// What was received, whole: forwarded pieces are slices of it.
        let received = input
        /// The start of the received bytes read but not yet passed on.
        var pending = input.readerIndex
        func forward(upTo index: Int) {
            if index > pending { context.fireChannelRead(wrapInboundOut(received.getSlice(at: pending, length: index - pending)!)) }
            pending = index
        }
        func forward(_ bytes: ByteBuffer) {
            if bytes.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(bytes)) }
        }
        defer { forward(upTo: input.readerIndex) }
        while input.readableBytes > 0 {
            switch state {
            case .passThrough:
                input.moveReaderIndex(to: input.writerIndex)
            case .body(let remaining):
                let count = min(remaining, input.readableBytes)
                input.moveReaderIndex(forwardBy: count)
                state = remaining == count ? .requestLine : .body(remaining: remaining - count)
            case .requestLine:
                // Passed on as it arrives; an empty line before a request is tolerated, as the
                // parser does.
                guard let length = Self.lineLength(input) else {
                    input.moveReaderIndex(to: input.writerIndex)
                    break
                }
                input.moveReaderIndex(forwardBy: length)
                if length > 2 { state = .headers(HeadScan()) }
            case .headers(var scan):
                guard let length = Self.lineLength(input) else {
                    // The start of a line: held until it is complete.
                    forward(upTo: input.readerIndex)
                    scan.partial.writeBuffer(&input)
                    pending = input.readerIndex
                    if scan.partial.readableBytes > Self.lineLimit {
                        forward(scan.lengthLines)
                        forward(scan.partial)
                        state = .passThrough
                    } else {
                        state = .headers(scan)
                    }
                    break
                }
                let start = input.readerIndex
                var line = input.readSlice(length: length)!
                if scan.partial.readableBytes > 0 {
                    // A line split across reads: its start was held, so it goes on as a copy.
                    forward(upTo: start)
                    scan.partial.writeBuffer(&line)
                    line = scan.partial
                    scan.partial = ByteBuffer()
                    pending = input.readerIndex
                    switch Self.classify(line, &scan) {
                    case .heldLength: state = .headers(scan)
                    case .forwarded:
                        forward(line)
                        state = .headers(scan)
                    case .blank:
                        let (held, next) = Self.endOfHead(scan)
                        forward(held)
                        forward(line)
                        state = next
                    }
                    break
                }
                switch Self.classify(line, &scan) {
                case .heldLength:
                    forward(upTo: start)
                    pending = input.readerIndex
                    state = .headers(scan)
                case .forwarded:
                    state = .headers(scan)
                case .blank:
                    forward(upTo: start)
                    let (held, next) = Self.endOfHead(scan)
                    forward(held)
                    state = next
                }
            }
        }
    }

    /// The length of the line at the start of `bytes`, through its line feed; `nil` if incomplete.
    static func lineLength(_ bytes: ByteBuffer) -> Int? {
        bytes.withUnsafeReadableBytes { raw -> Int? in
            guard let base = raw.baseAddress, let found = memchr(base, Int32(UInt8(ascii: "\n")), raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found)) + 1
        }
    }

    enum LineKind { case heldLength, forwarded, blank }

    /// Sorts one complete header line: a length (copied into `scan`, held back), the blank line
    /// that ends the head, or any other line (a coding is noted), which goes on.
    static func classify(_ line: ByteBuffer, _ scan: inout HeadScan) -> LineKind {
        // Most lines are neither of the two names nor blank: tell by the first byte, and copy
        // nothing but the value of the two names.
        switch line.getInteger(at: line.readerIndex, as: UInt8.self) {
        case UInt8(ascii: "c"), UInt8(ascii: "C"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): break
        default: return .forwarded
        }
        let bytes = line.readableBytesView
        let ending = bytes.count >= 2 && bytes[bytes.endIndex - 2] == UInt8(ascii: "\r") ? 2 : 1
        let content = bytes.dropLast(ending)
        guard !content.isEmpty else { return .blank }
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { return .forwarded }
        let name = content[..<colon]
        if matches(name, "content-length") {
            scan.lengths.append(trimmed(content[(colon + 1)...]))
            var line = line
            scan.lengthLines.writeBuffer(&line)
            return .heldLength
        }
        if matches(name, "transfer-encoding") { scan.codings.append(trimmed(content[(colon + 1)...])) }
        return .forwarded
    }

    /// At the blank line: what goes on before it (the held lengths, or for chunked with one
    /// length `Connection: close` in their place), and how what follows is framed.
    static func endOfHead(_ scan: HeadScan) -> (ByteBuffer, State) {
        if scan.codings.isEmpty {
            guard scan.lengths.count <= 1 else { return (scan.lengthLines, .passThrough) }
            guard let length = scan.lengths.first else { return (scan.lengthLines, .requestLine) }
            guard let count = decimal(length) else { return (scan.lengthLines, .passThrough) }
            return (scan.lengthLines, count == 0 ? .requestLine : .body(remaining: count))
        }
        if scan.lengths.count == 1, decimal(scan.lengths[0]) != nil, scan.codings.count == 1, matches(scan.codings[0][...], "chunked") {
            return (ByteBuffer(staticString: "Connection: close\r\n"), .passThrough)
        }
        // A chunked body alone, or a combination the parser must refuse.
        return (scan.lengthLines, .passThrough)
    }

    private static func matches(_ bytes: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return zip(bytes, UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)).allSatisfy {
            byte, expected in
            byte == expected || ((UInt8(ascii: "a")...UInt8(ascii: "z")).contains(expected) && byte == expected - 0x20)
        }
    }

    private static func trimmed<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> [UInt8] where Bytes.SubSequence == Bytes {
        var value = bytes
        while let first = value.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { value.removeFirst() }
        while let last = value.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { value.removeLast() }
        return Array(value)
    }

    /// A Content-Length value: decimal digits only, as RFC 9110 defines it.
    private static func decimal(_ bytes: [UInt8]) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18, bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}

/// Puts a byte-level handler right before the HTTP request decoder (which Hummingbird's
/// additional handlers come after): the first to see the request's bytes, after TLS has
/// decrypted them when the listener speaks HTTPS; then leaves.
final class FrontHandlerInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Never

    private let makeHandler: () -> any ChannelHandler

    init(_ makeHandler: @escaping () -> any ChannelHandler) {
        self.makeHandler = makeHandler
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Runs in the channel's set-up, before it reads a byte.
        do {
            let operations = context.pipeline.syncOperations
            if let decoder = try? operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self) {
                try operations.addHandler(makeHandler(), position: .before(decoder))
            } else {
                try operations.addHandler(makeHandler(), position: .first)
            }
        } catch {
            context.fireErrorCaught(error)
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
