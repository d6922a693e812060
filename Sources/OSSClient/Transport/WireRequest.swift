import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import OSSProtocol

/// One OSS request before signing: what operations build and the transport sends.
struct WireRequest: Sendable {
    /// The name used in errors and logs, such as `UploadPart 3`.
    var operation: String
    var method: HTTPMethod
    var bucket: String?
    var key: String?
    var query: [OSSQueryItem] = []
    var headers: [(name: String, value: String)] = []
    var body: RequestBody = .empty
    /// `false` for requests whose repetition could change the result (an append): never retried.
    var isIdempotent = true
    /// `false` for a PostObject form, which carries its own signature: no Authorization header.
    var isSigned = true
    /// Told about body bytes as they are sent (progress within one request); `nil` for none.
    var reportsSent: SentBytesReporter?

    init(_ operation: String, _ method: HTTPMethod, bucket: String? = nil, key: String? = nil) {
        self.operation = operation
        self.method = method
        self.bucket = bucket
        self.key = key
    }

    mutating func header(_ name: String, _ value: String?) {
        guard let value else { return }
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    mutating func query(_ name: String, _ value: String?) {
        guard let value else { return }
        query.append(OSSQueryItem(name: name, value: value))
    }

    /// An XML document as the body, with its `Content-Type` and the `Content-MD5` that lets the
    /// server refuse a damaged one (some operations require it).
    mutating func xmlBody(_ xml: String) {
        header("Content-Type", "application/xml")
        header("Content-MD5", OSSContentMD5.value(for: Array(xml.utf8)))
        body = .buffer(ByteBuffer(string: xml))
    }
}

/// A request body, and whether it can be sent again on a retry.
enum RequestBody: Sendable {
    case empty
    /// Bytes in memory: replayable.
    case buffer(ByteBuffer)
    /// A byte range of a file, streamed from disk: replayable, bounded memory.
    case file(FileChunks)
    /// A file range between in-memory framing (a PostObject form): replayable, bounded memory.
    case framedFile(FramedFileChunks)
    /// A caller's one-shot stream: never replayed, so requests carrying it are not retried.
    case stream(@Sendable () -> HTTPClientRequest.Body)

    var isReplayable: Bool {
        if case .stream = self { return false }
        return true
    }

    func httpBody(reportingSent report: SentBytesReporter? = nil) -> HTTPClientRequest.Body? {
        guard let report else {
            switch self {
            case .empty: return nil
            case .buffer(let buffer): return .bytes(buffer)
            case .file(let chunks): return .stream(chunks, length: .known(chunks.length))
            case .framedFile(let framed): return .stream(framed, length: .known(framed.length))
            case .stream(let make): return make()
            }
        }
        switch self {
        case .empty: return nil
        case .buffer(let buffer):
            return .stream(
                SentBytesReporting(base: BufferSlices(buffer: buffer), report: report),
                length: .known(Int64(buffer.readableBytes)))
        case .file(let chunks):
            return .stream(SentBytesReporting(base: chunks, report: report), length: .known(chunks.length))
        case .framedFile(let framed):
            return .stream(SentBytesReporting(base: framed, report: report), length: .known(framed.length))
        case .stream(let make): return make()
        }
    }
}

/// A response whose status was a success; its body has not been read yet.
struct WireResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: HTTPClientResponse.Body

    func header(_ name: String) -> String? {
        headers.first(name: name)
    }

    var requestID: String? { header(OSSHeader.requestID) }

    /// `x-oss-hash-crc64ecma` as a number; `nil` when absent.
    /// - Throws: ``OSSClientError/invalidResponse(_:)`` when present but not an unsigned decimal.
    func crc64() throws(OSSClientError) -> UInt64? {
        guard let text = header(OSSHeader.crc64) else { return nil }
        guard let value = UInt64(text) else {
            throw .invalidResponse("\(OSSHeader.crc64) is not an unsigned decimal: \(text)")
        }
        return value
    }

    /// Reads the whole body, bounded so a misbehaving server cannot exhaust memory.
    func collect(limit: Int = 64 << 20) async throws -> ByteBuffer {
        try await body.collect(upTo: limit)
    }
}
