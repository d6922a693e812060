import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OSSProtocol
import Testing

@testable import OSSServer

/// How a test request is authenticated.
enum Signing: Equatable {
    case v1, v4, anonymous
    /// A URL signature (`OSSAccessKeyId`, `Expires`, `Signature`) valid for an hour.
    case presignedV1
    /// A V4 URL signature (`x-oss-signature-version` …) valid for an hour.
    case presignedV4
    case v1WithSecret(String)
    case v1At(Date)
    /// V1 with another user's key pair.
    case v1As(OSSCredentials)
}

/// A live server on a free loopback port over a fresh data folder, with bucket `bkt`.
struct LiveServer {
    static let credentials = OSSCredentials(accessKeyID: "LTAItest", secret: "test-secret")

    let client: any TestClientProtocol
    let storage: ObjectStorage
    let dataDirectory: URL
    /// The server's keys; reload it after adding users or keys to `storage`.
    let keyring: Keyring
    /// The server's metrics, as its admin listener would serve them.
    let metrics: ServerMetrics
    /// A connection of this handle's own (``onConnections(_:_:)``), used instead of `client`'s.
    var connection: TestClient? = nil

    static func run(
        restoreDelay: Duration = .seconds(5), accessLogInterval: Duration = .seconds(300), blobBackend: S3BlobClient? = nil,
        logs: (@Sendable (String) -> Void)? = nil, _ body: @Sendable (LiveServer) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-oss-http-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // With `logs`, every line at info level and above goes there as JSON.
        var logger = logs.map { write in Logger(label: "test") { JSONLogHandler(label: $0, write: write) } } ?? Logger(label: "test")
        logger.logLevel = logs == nil ? .warning : .info
        var configuration = OSSServerConfiguration(
            port: 0, dataDirectory: directory, buckets: ["bkt"], credentials: credentials, restoreDelay: restoreDelay,
            accessLogInterval: accessLogInterval, metadata: try await TestMetadata.backend(for: directory.path))
        // Passes only when a test runs one: a background pass would mark what a test damaged first.
        configuration.scrubInterval = nil
        let server = OSSServer(configuration: configuration, logger: logger)
        let storage = try await server.openStorage(backend: blobBackend)
        let keyring = server.keyring(owner: storage.owner.id)
        let metrics = ServerMetrics(statisticsInterval: .zero)
        try await server.application(storage: storage, keyring: keyring, metrics: metrics).test(.live) { client in
            try await body(LiveServer(client: client, storage: storage, dataDirectory: directory, keyring: keyring, metrics: metrics))
        }
    }

    /// Sends a request for `bucket`/`key`, signed as asked.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, bucket: String? = "bkt", key: String? = nil, query: [OSSQueryItem] = [],
        headers: [(String, String)] = [], body: [UInt8]? = nil, signing: Signing = .v1
    ) async throws -> LiveResponse {
        var headers = headers
        if let body, !headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            headers.append(("Content-Length", String(body.count)))
        }
        var request = OSSRequest(
            method: method.rawValue, bucket: bucket, key: key, query: query,
            headers: headers.map { (name: $0.0, value: $0.1) })
        var query = query
        switch signing {
        case .v1: OSSSignatureV1.sign(&request, credentials: Self.credentials, date: Date())
        case .v1At(let date): OSSSignatureV1.sign(&request, credentials: Self.credentials, date: date)
        case .v1As(let credentials): OSSSignatureV1.sign(&request, credentials: credentials, date: Date())
        case .v1WithSecret(let secret):
            OSSSignatureV1.sign(&request, credentials: OSSCredentials(accessKeyID: Self.credentials.accessKeyID, secret: secret), date: Date())
        case .v4: OSSSignatureV4.sign(&request, credentials: Self.credentials, region: "cn-hangzhou", date: Date())
        case .anonymous: break
        case .presignedV1:
            query += OSSSignatureV1.presignedQuery(
                for: request, credentials: Self.credentials, expires: Date().addingTimeInterval(3600))
        case .presignedV4:
            query += OSSSignatureV4.presignedQuery(
                for: request, credentials: Self.credentials, region: "cn-hangzhou", date: Date(), expiresIn: 3600)
        }
        var path = "/"
        if let bucket { path += bucket + "/" }
        if let key { path += OSSPercentEncoding.encode(key, keepingSlash: true) }
        if !query.isEmpty { path += "?" + OSSQueryItem.encode(query) }
        var fields = HTTPFields()
        for header in request.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return try await execute(uri: path, method: method, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
    }

    /// Sends a request exactly as given, on this handle's connection.
    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> LiveResponse {
        guard let connection else {
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
            return LiveResponse(head: response.head, body: response.body, trailerHeaders: response.trailerHeaders)
        }
        var headers = headers
        headers[.connection] = "keep-alive"
        let response = try await connection.execute(
            TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
        return LiveResponse(head: response.head, body: response.body ?? ByteBuffer(), trailerHeaders: response.trailerHeaders)
    }

    /// Runs `body` with `count` handles on this server, each sending on a TCP connection of its own.
    ///
    /// Requests sent through one handle share one HTTP/1.1 connection, which the server answers a
    /// request at a time, in order: writers meant to race must each have their own. Each waits
    /// up to two minutes for an answer, since racing writers of one key take turns and, under the
    /// load of the whole suite on two cores, a turn was seen to take a second: what these tests
    /// check is who wins, never how fast.
    func onConnections<T: Sendable>(_ count: Int, _ body: ([LiveServer]) async throws -> T) async throws -> T {
        let port = try #require(client.port)
        let connections = (0..<count).map { _ in
            TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(120)))
        }
        for connection in connections { connection.connect() }
        let handles = connections.map { connection in
            var handle = self
            handle.connection = connection
            return handle
        }
        do {
            let value = try await body(handles)
            for connection in connections { try await connection.shutdown() }
            return value
        } catch {
            for connection in connections { try? await connection.shutdown() }
            throw error
        }
    }

    /// Adds a user with one key, which the server accepts at once; returns its key pair and id.
    func addUser(_ name: String) async throws -> (credentials: OSSCredentials, id: String) {
        let (user, key) = try await storage.identities.addUser(named: name)
        try await keyring.reload(from: storage.identities)
        return (OSSCredentials(accessKeyID: key.id, secret: key.secret), user.id)
    }

    /// A PUT; set-up calls may ignore the response (a failed set-up shows in the assertions after it).
    @discardableResult
    func put(_ key: String, _ body: [UInt8], headers: [(String, String)] = []) async throws -> LiveResponse {
        try await send(.put, key: key, headers: headers, body: body)
    }
}

/// A response as a test reads it, from whichever connection it came.
struct LiveResponse: Sendable {
    let head: HTTPResponse
    let body: ByteBuffer
    let trailerHeaders: HTTPFields?

    var status: HTTPResponse.Status { head.status }
    var headers: HTTPFields { head.headerFields }
}

extension LiveResponse {
    var bodyText: String { String(buffer: body) }
    var bytes: [UInt8] { Array(body.readableBytesView) }

    /// The OSS error code of the body (or of `x-oss-err` on HEAD).
    var errorCode: String? {
        var xml = bodyText
        if xml.isEmpty, let header = headers[HTTPField.Name("x-oss-err")!], let data = Data(base64Encoded: header) {
            xml = String(decoding: data, as: UTF8.self)
        }
        guard let start = xml.range(of: "<Code>"), let end = xml.range(of: "</Code>") else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}
