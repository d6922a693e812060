import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// One request and its response as they pass through the proxy; the hooks may change either.
struct ProxyExchange: Sendable {
    var method: String
    var path: String
    var requestHeaders: [(name: String, value: String)]
    var requestBody: [UInt8]
    var status: Int = 0
    var responseHeaders: [(name: String, value: String)] = []
    var responseBody: [UInt8] = []
    /// Sends this many body bytes, then waits for the gate before sending the rest: the client
    /// holds a partial body meanwhile.
    var stall: (afterBytes: Int, gate: Gate)?

    func responseHeader(_ name: String) -> String? {
        responseHeaders.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    mutating func setResponseHeader(_ name: String, _ value: String?) {
        responseHeaders.removeAll { $0.name.lowercased() == name.lowercased() }
        if let value { responseHeaders.append((name, value)) }
    }

    var isUploadPart: Bool { method == "PUT" && path.contains("partNumber=") }
}

/// A forwarding HTTP proxy in front of the real server that can damage traffic on the way:
/// the hooks see every request before it is forwarded and every response before it is returned.
/// Bodies are buffered whole, which is fine for test sizes.
struct TamperingProxy: Sendable {
    typealias Hook = @Sendable (inout ProxyExchange) async -> Void

    let port: Int
    /// Every exchange seen, in order (after tampering).
    let log: NIOLockedValueBox<[ProxyExchange]>

    /// Runs `body` with a proxy to `upstreamPort`.
    static func run<T: Sendable>(
        upstreamPort: Int,
        onRequest: @escaping Hook = { _ in },
        onResponse: @escaping Hook = { _ in },
        _ body: @Sendable (TamperingProxy) async throws -> T
    ) async throws -> T {
        let upstream = HTTPClient(eventLoopGroupProvider: .singleton)
        let log = NIOLockedValueBox<[ProxyExchange]>([])
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var exchange = ProxyExchange(
                method: request.method.rawValue, path: request.head.path ?? "/",
                requestHeaders: request.headers.map { ($0.name.rawName, $0.value) },
                requestBody: Array(buffer: try await request.body.collect(upTo: 256 << 20)))
            await onRequest(&exchange)
            var forwarded = HTTPClientRequest(url: "http://127.0.0.1:\(upstreamPort)\(exchange.path)")
            forwarded.method = HTTPMethod(rawValue: exchange.method)
            for header in exchange.requestHeaders where !Self.hopByHop.contains(header.name.lowercased()) {
                forwarded.headers.add(name: header.name, value: header.value)
            }
            if !exchange.requestBody.isEmpty || exchange.method == "PUT" || exchange.method == "POST" {
                forwarded.body = .bytes(ByteBuffer(bytes: exchange.requestBody))
            }
            let response = try await upstream.execute(forwarded, timeout: .seconds(60))
            exchange.status = Int(response.status.code)
            exchange.responseHeaders = response.headers.map { ($0.name, $0.value) }
            exchange.responseBody = Array(buffer: try await response.body.collect(upTo: 256 << 20))
            await onResponse(&exchange)
            log.withLockedValue { $0.append(exchange) }
            var fields = HTTPFields()
            for header in exchange.responseHeaders where !Self.hopByHop.contains(header.name.lowercased()) {
                if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
            }
            // HEAD announces the object's length without a body; everything else the body's.
            fields[.contentLength] =
                exchange.method == "HEAD"
                ? exchange.responseHeader("Content-Length") ?? "0" : String(exchange.responseBody.count)
            let body = ByteBuffer(bytes: exchange.responseBody)
            guard let stall = exchange.stall, exchange.method != "HEAD" else {
                return Response(status: HTTPResponse.Status(code: exchange.status), headers: fields, body: .init(byteBuffer: body))
            }
            let streamed = ResponseBody(contentLength: body.readableBytes) { writer in
                let cut = min(stall.afterBytes, body.readableBytes)
                try await writer.write(body.getSlice(at: body.readerIndex, length: cut)!)
                await stall.gate.wait()
                try await writer.write(body.getSlice(at: body.readerIndex + cut, length: body.readableBytes - cut)!)
                try await writer.finish(nil)
            }
            return Response(status: HTTPResponse.Status(code: exchange.status), headers: fields, body: streamed)
        }
        var logger = Logger(label: "tampering-proxy")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await application.runService()
        }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        let proxy = TamperingProxy(port: port, log: log)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(proxy))
        } catch {
            result = .failure(error)
        }
        task.cancel()
        _ = await task.result
        try await upstream.shutdown()
        return try result.get()
    }

    static let hopByHop: Set<String> = ["host", "content-length", "transfer-encoding", "connection", "keep-alive"]

    var exchanges: [ProxyExchange] { log.withLockedValue { $0 } }
}
