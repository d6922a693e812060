import Foundation
import OSSProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 connection on a plain socket, for requests no well-behaved client would send:
/// bytes exactly as given (lying lengths, control characters, broken framing), sent in pieces or
/// abandoned halfway.
final class RawConnection {
    let fd: Int32

    /// Connects to 127.0.0.1:`port`. Reads give up after `timeout` seconds so that a test can
    /// never hang on a server that stopped answering; no assertion depends on it.
    init(port: Int, timeout: Int = 30) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
    }

    deinit { close(fd) }

    /// Changes how long reads wait before giving up.
    func setTimeout(_ seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends everything; `false` when the server closed the connection first.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Stops sending: the server sees the end of the request stream.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private var pending: [UInt8] = []

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        pending += chunk[..<count]
        return true
    }

    /// Reads one response, or `nil` if the server closed the connection without one.
    func readResponse(head: Bool = false) -> RawResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            end = pending.indices.dropLast(3).first { pending[$0..<($0 + 4)].elementsEqual(separator) }
            if end == nil, !fill() { return nil }
        }
        let headText = String(decoding: pending[..<end!], as: UTF8.self)
        pending.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = RawResponse(status: status, headers: headers, body: [])
        guard !head, status != 204, status != 304 else { return response }
        if let length = response.header("content-length").flatMap(Int.init) {
            while pending.count < length { if !fill() { break } }
            response.body = Array(pending.prefix(length))
            pending.removeFirst(min(length, pending.count))
        } else if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                while !pending.contains(10) { if !fill() { return response } }
                let lineEnd = pending.firstIndex(of: 10)!
                let size = Int(String(decoding: pending[..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) ?? 0
                pending.removeFirst(lineEnd + 1)
                while pending.count < size + 2 { if !fill() { return response } }
                response.body += pending.prefix(size)
                pending.removeFirst(size + 2)
                if size == 0 { break }
            }
        }
        return response
    }

    /// Whether the server closed the connection (reads end of stream).
    func isClosedByServer() -> Bool {
        pending.isEmpty && !fill()
    }

    /// Whether the next read is the end of the stream: the server ended its output. A read that
    /// times out is not.
    func readsEndOfStream() -> Bool {
        guard pending.isEmpty else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }
}

/// Runs blocking socket work on a thread of its own. The server under test shares the process's
/// cooperative thread pool (two threads on a two-core machine): a test blocking those threads in
/// `recv` would starve the very handlers it waits for.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

struct RawResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The OSS error code of the body, or of `x-oss-err` when there is no body.
    var errorCode: String? {
        var data = Data(body)
        if data.isEmpty, let encoded = header("x-oss-err"), let decoded = Data(base64Encoded: encoded) { data = decoded }
        return (try? OSSError(parsing: data, status: status))?.code
    }
}

extension LiveServer {
    var port: Int { client.port ?? 0 }

    /// The head of a V1-signed request for raw sending: request line, `Host`, the signed headers
    /// and the extra `raw` lines (sent as given, unsigned), then the blank line.
    ///
    /// - Parameters:
    ///   - target: the raw request target (path and query) as it goes on the wire.
    ///   - key: the decoded key the server will sign with.
    func rawHead(
        _ method: String, target: String, bucket: String? = "bkt", key: String?, query: [OSSQueryItem] = [],
        headers: [(String, String)] = [], raw: [String] = []
    ) -> String {
        var request = OSSRequest(method: method, bucket: bucket, key: key, query: query, headers: headers.map { (name: $0.0, value: $0.1) })
        OSSSignatureV1.sign(&request, credentials: Self.credentials, date: Date())
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        for line in raw { head += line + "\r\n" }
        return head + "\r\n"
    }

    /// Sends `bytes` on a fresh connection and reads the answer (`nil`: closed without one).
    func raw(_ bytes: [UInt8], head: Bool = false) async throws -> RawResponse? {
        let port = port
        return try await onThread {
            let connection = try RawConnection(port: port)
            connection.send(bytes)
            return connection.readResponse(head: head)
        }
    }

    /// Sends `head` and `body` on one connection, then closes it without reading: an upload
    /// abandoned halfway.
    func sendAndClose(_ head: String, _ body: [UInt8]) async throws {
        let port = port
        try await onThread {
            let connection = try RawConnection(port: port)
            connection.send(Array(head.utf8) + body)
        }
    }

    /// Waits, with a generous bound and no assertion on time, until no temporary upload file is
    /// left: the server notices closed connections asynchronously. `false` if some stayed.
    func temporaryFilesDrained() async throws -> Bool {
        let temporary = dataDirectory.appendingPathComponent("tmp")
        for _ in 0..<200 {
            if ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).isEmpty { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// A signed round trip through the normal client: proof the server still answers.
    func stillServes() async throws -> Bool {
        let key = "canary-\(UUID().uuidString)"
        let body = Array(key.utf8)
        guard try await put(key, body).status == .ok else { return false }
        return try await send(.get, key: key).bytes == body
    }
}
