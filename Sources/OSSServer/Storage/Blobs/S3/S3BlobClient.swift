import AsyncHTTPClient
import CRC64
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import OSSProtocol

/// The few S3 operations a blob store needs, signed with AWS Signature V4, on AsyncHTTPClient.
///
/// Every write carries `x-amz-checksum-crc64nvme`, the CRC-64/NVME of its bytes computed by the
/// caller while it received them: the backend refuses a body that changed on the way, so the hop
/// between this server and the backend is checked as the one from the client is. Bodies stream
/// both ways; nothing here holds more than one buffer of a blob.
///
/// Failures are `StorageError.backend`: `unavailable` (503 to the client, which retries) when
/// the backend cannot be reached, times out or answers 5xx; otherwise a refusal (500).
final class S3BlobClient: Sendable {
    let configuration: OSSBlobBackend
    private let http: HTTPClient

    /// - Parameter readTimeout: how long a request may wait for the backend's next bytes before
    ///   it fails as unavailable: an unreachable backend never hangs a request.
    init(_ configuration: OSSBlobBackend, connectTimeout: TimeAmount = .seconds(5), readTimeout: TimeAmount = .seconds(30)) {
        self.configuration = configuration
        var settings = HTTPClient.Configuration()
        settings.timeout = .init(connect: connectTimeout, read: readTimeout)
        settings.decompression = .disabled
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }

    /// Closes the connections. Call once, when the server stops.
    func shutdown() async throws {
        try await http.shutdown()
    }

    // MARK: Objects

    /// Stores `body` (exactly `length` bytes whose CRC-64/NVME is `crc64nvme`) as `key`.
    func put(_ key: String, body: HTTPClientRequest.Body, length: Int, crc64nvme: UInt64) async throws(StorageError) {
        let response = try await send(
            "PUT", key: key,
            headers: [("x-amz-checksum-crc64nvme", Self.checksumHeader(crc64nvme)), ("Content-Length", String(length))],
            body: body, operation: "PutObject")
        try await Self.drain(response)
    }

    /// The bytes of `key` in `range` (all of them when `nil`), as they arrive.
    func get(_ key: String, range: Range<Int>? = nil) async throws(StorageError) -> HTTPClientResponse.Body {
        guard let range else { return try await get(key, rangeHeader: nil) }
        guard !range.isEmpty else { return HTTPClientResponse.Body() }
        return try await get(key, rangeHeader: "bytes=\(range.lowerBound)-\(range.upperBound - 1)")
    }

    /// The bytes of `key` from `offset` to its end, as they arrive.
    func get(_ key: String, from offset: Int) async throws(StorageError) -> HTTPClientResponse.Body {
        try await get(key, rangeHeader: "bytes=\(offset)-")
    }

    private func get(_ key: String, rangeHeader: String?) async throws(StorageError) -> HTTPClientResponse.Body {
        var headers: [(name: String, value: String)] = []
        if let rangeHeader { headers.append(("Range", rangeHeader)) }
        let response = try await send("GET", key: key, headers: headers, operation: "GetObject", accepting: [416])
        guard response.status != .rangeNotSatisfiable else {
            // The range starts at or past the end: no bytes, as a file read there gives none.
            try await Self.drain(response)
            return HTTPClientResponse.Body()
        }
        return response.body
    }

    /// The size of `key`, or `nil` when the backend has no such object.
    func size(of key: String) async throws(StorageError) -> Int? {
        let response = try await send("HEAD", key: key, operation: "HeadObject", accepting: [404])
        guard response.status != .notFound else { return nil }
        return response.headers.first(name: "Content-Length").flatMap(Int.init)
    }

    /// Deletes `key`; a missing key is not an error (S3 answers 204 alike).
    func delete(_ key: String) async throws(StorageError) {
        try await Self.drain(try await send("DELETE", key: key, operation: "DeleteObject", accepting: [404]))
    }

    /// One page of the keys under `prefix` after `startAfter`, in byte order (ListObjectsV2).
    func list(prefix: String, startAfter: String? = nil, maxKeys: Int = 1000) async throws(StorageError)
        -> (keys: [String], isTruncated: Bool)
    {
        var query = [(name: "list-type", value: "2"), (name: "prefix", value: prefix), (name: "max-keys", value: String(maxKeys))]
        if let startAfter { query.append((name: "start-after", value: startAfter)) }
        let response = try await send("GET", key: nil, query: query, operation: "ListObjectsV2")
        let result = try await Self.document(response, root: "ListBucketResult", operation: "ListObjectsV2")
        return (result.children("Contents").compactMap { $0.text("Key") }, result.text("IsTruncated") == "true")
    }

    /// Creates the backend bucket; one that exists already (and is ours) is fine.
    func createBucket() async throws(StorageError) {
        let response = try await send("PUT", key: nil, operation: "CreateBucket", accepting: [409])
        if response.status == .conflict {
            let error = try await Self.bytes(response, operation: "CreateBucket")
            guard Self.errorDocument(error)?.text("Code") == "BucketAlreadyOwnedByYou" else {
                throw StorageError.backend(operation: "CreateBucket", detail: Self.describe(409, error), unavailable: false)
            }
            return
        }
        try await Self.drain(response)
    }

    /// The CRC-64/NVME the backend stored for `key` (asked with `x-amz-checksum-mode: ENABLED`),
    /// `nil` when it reports none; throws for a missing key.
    func storedChecksum(of key: String) async throws(StorageError) -> UInt64? {
        let response = try await send("HEAD", key: key, headers: [("x-amz-checksum-mode", "ENABLED")], operation: "HeadObject")
        return response.headers.first(name: "x-amz-checksum-crc64nvme").flatMap(Self.checksum(fromHeader:))
    }

    // MARK: Multipart

    /// Starts a multipart upload of `key` whose parts carry CRC-64/NVME checksums that the
    /// backend combines into one full-object checksum; returns the upload id.
    func createMultipartUpload(_ key: String) async throws(StorageError) -> String {
        let response = try await send(
            "POST", key: key, query: [("uploads", "")],
            headers: [("x-amz-checksum-algorithm", "CRC64NVME"), ("x-amz-checksum-type", "FULL_OBJECT")],
            operation: "CreateMultipartUpload")
        let result = try await Self.document(response, root: "InitiateMultipartUploadResult", operation: "CreateMultipartUpload")
        guard let id = result.text("UploadId"), !id.isEmpty else {
            throw StorageError.backend(operation: "CreateMultipartUpload", detail: "no UploadId in the answer", unavailable: false)
        }
        return id
    }

    /// One part of a multipart upload: part numbers start at 1. Returns what completing needs.
    func uploadPart(
        _ key: String, uploadID: String, number: Int, body: HTTPClientRequest.Body, length: Int, crc64nvme: UInt64
    ) async throws(StorageError) -> S3Part {
        let response = try await send(
            "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
            headers: [("x-amz-checksum-crc64nvme", Self.checksumHeader(crc64nvme)), ("Content-Length", String(length))],
            body: body, operation: "UploadPart")
        guard let etag = response.headers.first(name: "ETag") else {
            throw StorageError.backend(operation: "UploadPart", detail: "no ETag in the answer", unavailable: false)
        }
        try await Self.drain(response)
        return S3Part(number: number, etag: etag, size: length, crc64nvme: crc64nvme)
    }

    /// Completes the upload from `parts` (in order). The whole object's CRC-64/NVME is the parts'
    /// CRCs combined, without reading a byte again; the backend checks it against what it stored.
    func completeMultipartUpload(_ key: String, uploadID: String, parts: [S3Part]) async throws(StorageError) {
        var whole: UInt64 = 0
        var document = OSSXMLWriter(declaration: false)
        document.element("CompleteMultipartUpload") { document in
            for (index, part) in parts.enumerated() {
                whole = index == 0 ? part.crc64nvme : CRC64.nvme.combine(whole, part.crc64nvme, lengthOfB: part.size)
                document.element("Part") { entry in
                    entry.element("PartNumber", part.number)
                    entry.element("ETag", part.etag)
                    entry.element("ChecksumCRC64NVME", Self.checksumHeader(part.crc64nvme))
                }
            }
        }
        let body = ByteBuffer(string: document.output)
        let response = try await send(
            "POST", key: key, query: [("uploadId", uploadID)],
            headers: [
                ("x-amz-checksum-crc64nvme", Self.checksumHeader(whole)), ("x-amz-checksum-type", "FULL_OBJECT"),
                ("Content-Length", String(body.readableBytes)),
            ],
            body: .bytes(body), operation: "CompleteMultipartUpload")
        // S3 may answer 200 with an <Error> document once the parts are being assembled.
        let answer = try await Self.bytes(response, operation: "CompleteMultipartUpload")
        if Self.errorDocument(answer) != nil {
            throw StorageError.backend(
                operation: "CompleteMultipartUpload", detail: Self.describe(200, answer), unavailable: false)
        }
    }

    /// Abandons the upload and frees its parts; an upload already gone is fine.
    func abortMultipartUpload(_ key: String, uploadID: String) async throws(StorageError) {
        try await Self.drain(try await send(
            "DELETE", key: key, query: [("uploadId", uploadID)], operation: "AbortMultipartUpload", accepting: [404]))
    }

    /// The multipart uploads in progress under `prefix`: (key, upload id), at most 1,000.
    func multipartUploads(prefix: String) async throws(StorageError) -> [(key: String, uploadID: String)] {
        let response = try await send(
            "GET", key: nil, query: [("uploads", ""), ("prefix", prefix)], operation: "ListMultipartUploads")
        let result = try await Self.document(response, root: "ListMultipartUploadsResult", operation: "ListMultipartUploads")
        return result.children("Upload").compactMap { upload in
            guard let key = upload.text("Key"), let id = upload.text("UploadId") else { return nil }
            return (key: key, uploadID: id)
        }
    }

    // MARK: Transport

    /// The pauses before the second and third tries of a request without a body.
    static let retryDelays: [Duration] = [.milliseconds(100), .milliseconds(400)]

    /// Signs and sends one request; answers outside 2xx and `accepting` become errors.
    ///
    /// A request without a body (reads, listings, deletes, which S3 makes idempotent) is tried
    /// again after ``retryDelays`` when the backend could not be reached or answered 500, 502,
    /// 503 or 504: a backend restarting or shedding load costs a pause, not a failed GET. A
    /// request with a body is tried once: its body may be a stream that cannot be sent twice.
    private func send(
        _ method: String, key: String?, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: HTTPClientRequest.Body? = nil, operation: String,
        accepting: Set<Int> = []
    ) async throws(StorageError) -> HTTPClientResponse {
        let delays = body == nil ? Self.retryDelays : []
        var attempt = 0
        while true {
            do {
                return try await sendOnce(
                    method, key: key, query: query, headers: headers, body: body, operation: operation, accepting: accepting)
            } catch let error where attempt < delays.count && error.isRetriableBackendFailure {
                try? await Task.sleep(for: delays[attempt])
                attempt += 1
            }
        }
    }

    private func sendOnce(
        _ method: String, key: String?, query: [(name: String, value: String)], headers: [(name: String, value: String)],
        body: HTTPClientRequest.Body?, operation: String, accepting: Set<Int>
    ) async throws(StorageError) -> HTTPClientResponse {
        let path = "/" + configuration.bucket + (key.map { "/" + $0 } ?? "")
        var signed = headers.filter { $0.name != "Content-Length" }
        signed.append(("Host", configuration.hostHeader))
        let authentication = AWSSignatureV4.signedHeaders(
            method: method, path: path, query: query, headers: signed,
            payloadHash: body == nil ? AWSSignatureV4.emptyPayloadSHA256 : AWSSignatureV4.unsignedPayload,
            accessKeyID: configuration.accessKeyID, secret: configuration.secret, region: configuration.region,
            date: Date())
        let queryText = AWSSignatureV4.canonicalQuery(query)
        var request = HTTPClientRequest(
            url: "\(configuration.scheme)://\(configuration.hostHeader)\(AWSSignatureV4.canonicalURI(path: path))"
                + (queryText.isEmpty ? "" : "?" + queryText))
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers + [("Host", configuration.hostHeader)] + authentication {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        request.body = body
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .hours(24))
        } catch {
            throw StorageError.backend(operation: operation, detail: describeTransport(error), unavailable: true, retriable: true)
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) || accepting.contains(status) else {
            let error = (try? await Self.bytes(response, operation: operation)) ?? []
            throw StorageError.backend(
                operation: operation, detail: Self.describe(status, error), unavailable: status >= 500,
                retriable: [500, 502, 503, 504].contains(status))
        }
        return response
    }

    /// A transport failure as an operator reads it: where, and the system's reason without
    /// NIO's wrapping (`connection reset (error set): Connection refused (errno: 111)`).
    func describeTransport(_ error: any Error) -> String {
        let endpoint = "\(configuration.scheme)://\(configuration.hostHeader)"
        if let io = error as? IOError { return "cannot reach \(endpoint): \(String(cString: strerror(io.errnoCode)))" }
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout: return "cannot reach \(endpoint): no connection within the connect timeout"
            case .readTimeout: return "\(endpoint) sent nothing within the read timeout"
            case .remoteConnectionClosed: return "\(endpoint) closed the connection"
            default: break
            }
        }
        return "\(endpoint): \(error)"
    }

    /// `x-amz-checksum-crc64nvme`: base64 of the CRC's eight bytes, most significant first.
    static func checksumHeader(_ crc: UInt64) -> String {
        S3ChecksumAlgorithm.crc64nvme.headerValue(crc: crc)
    }

    /// The CRC a `x-amz-checksum-crc64nvme` value carries, `nil` when it is not eight bytes of base64.
    static func checksum(fromHeader value: String) -> UInt64? {
        try? S3ChecksumAlgorithm.crc64nvme.crc(fromHeaderValue: value)
    }

    private static func drain(_ response: HTTPClientResponse) async throws(StorageError) {
        do {
            for try await _ in response.body {}
        } catch {
            throw StorageError.backend(operation: "reading a response", detail: "\(error)", unavailable: true)
        }
    }

    /// A small response body (an XML document), at most 1 MiB.
    private static func bytes(_ response: HTTPClientResponse, operation: String) async throws(StorageError) -> [UInt8] {
        do {
            return Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            throw StorageError.backend(operation: operation, detail: "reading the response: \(error)", unavailable: true)
        }
    }

    /// The response's document, read with the same hardened reader as the SDK's (no DTDs, no
    /// entities beyond XML's own); one with another root is a refusal.
    private static func document(_ response: HTTPClientResponse, root: String, operation: String) async throws(StorageError)
        -> XMLNode
    {
        let body = try await bytes(response, operation: operation)
        do {
            return try XMLNode.parse(body, root: root)
        } catch {
            throw StorageError.backend(operation: operation, detail: "unreadable answer: \(error.message)", unavailable: false)
        }
    }

    /// The `<Error>` document of an answer, `nil` when it is something else.
    private static func errorDocument(_ body: [UInt8]) -> XMLNode? {
        try? XMLNode.parse(body, root: "Error")
    }

    private static func describe(_ status: Int, _ body: [UInt8]) -> String {
        let error = errorDocument(body)
        let code = error?.text("Code") ?? "no error code"
        let message = error?.text("Message").map { ": " + $0 } ?? ""
        return "HTTP \(status) \(code)\(message)"
    }
}

/// A part uploaded to the backend: what completing the upload lists, and what its CRC-64/NVME
/// contributes to the whole object's.
struct S3Part: Sendable, Hashable {
    var number: Int
    var etag: String
    var size: Int
    var crc64nvme: UInt64
}

extension StorageError {
    /// A failure of the backend that trying again may cure (see ``S3BlobClient``'s `send`).
    fileprivate var isRetriableBackendFailure: Bool {
        if case .backend(_, _, _, let retriable) = self { return retriable }
        return false
    }
}
