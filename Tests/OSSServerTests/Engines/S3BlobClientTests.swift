import AsyncHTTPClient
import CRC64
import Foundation
import NIOCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import OSSServer

/// The S3 backend client against a real SeaweedFS (`weed server -s3`), started by each test.
@Suite(
    "S3 blob client against SeaweedFS", .serialized,  // one `weed` at a time: each runs four servers
    .enabled(if: SeaweedFSServer.binary != nil, Comment(rawValue: SeaweedFSServer.missing)))
struct S3BlobClientTests {
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    static func collect(_ body: HTTPClientResponse.Body) async throws -> [UInt8] {
        var result: [UInt8] = []
        for try await chunk in body { result += chunk.readableBytesView }
        return result
    }

    @Test("a blob streamed in with its CRC-64/NVME comes back whole and by ranges; size, list and delete agree")
    func roundTrip() async throws {
        try await withSeaweedFS { _, client in
            let blob = Self.bytes(3 << 20 | 12_345, seed: 1)
            // Streamed in 64 KiB pieces, as the server receives bodies.
            let pieces = stride(from: 0, to: blob.count, by: 65_536).map { ByteBuffer(bytes: blob[$0..<min($0 + 65_536, blob.count)]) }
            let stream = AsyncStream<ByteBuffer> { continuation in
                for piece in pieces { continuation.yield(piece) }
                continuation.finish()
            }
            try await client.put(
                "ab/abcdef", body: .stream(stream, length: .known(Int64(blob.count))), length: blob.count,
                crc64nvme: CRC64.nvme.checksum(blob))
            #expect(try await Self.collect(client.get("ab/abcdef")) == blob)
            #expect(try await Self.collect(client.get("ab/abcdef", range: 1_000_000..<1_000_100)) == Array(blob[1_000_000..<1_000_100]))
            #expect(try await Self.collect(client.get("ab/abcdef", range: 0..<0)) == [])
            #expect(try await client.size(of: "ab/abcdef") == blob.count)
            try await client.put("ab/empty", body: .bytes(ByteBuffer()), length: 0, crc64nvme: CRC64.nvme.checksum([UInt8]()))
            try await client.put("cd/other", body: .bytes(ByteBuffer(bytes: [1, 2, 3])), length: 3, crc64nvme: CRC64.nvme.checksum([1, 2, 3]))
            let listed = try await client.list(prefix: "ab/")
            #expect(listed.keys == ["ab/abcdef", "ab/empty"] && !listed.isTruncated)
            let paged = try await client.list(prefix: "", startAfter: "ab/abcdef", maxKeys: 1)
            #expect(paged.keys == ["ab/empty"] && paged.isTruncated)
            try await client.delete("ab/abcdef")
            try await client.delete("ab/abcdef")  // gone already: still fine
            #expect(try await client.size(of: "ab/abcdef") == nil)
            await #expect(throws: StorageError.self) { _ = try await Self.collect(client.get("ab/abcdef")) }
        }
    }

    @Test("a body whose bytes do not match the CRC-64/NVME sent with them is refused and not stored")
    func corruptionOnTheHopIsRefused() async throws {
        try await withSeaweedFS { _, client in
            let blob = Self.bytes(100_000, seed: 2)
            var altered = blob
            altered[50_000] ^= 0x01
            do {
                try await client.put(
                    "ef/altered", body: .bytes(ByteBuffer(bytes: altered)), length: altered.count,
                    crc64nvme: CRC64.nvme.checksum(blob))
                Issue.record("the backend stored a body whose CRC-64/NVME does not match")
            } catch let StorageError.backend(operation, detail, unavailable, _) {
                #expect(operation == "PutObject" && !unavailable, "\(detail)")
            }
            #expect(try await client.size(of: "ef/altered") == nil, "nothing is stored under the key")
        }
    }

    @Test("a multipart blob: parts with their CRC-64/NVME, completed with the combined full-object CRC, reads back whole")
    func multipart() async throws {
        try await withSeaweedFS { _, client in
            let sizes = [5 << 20, 5 << 20, 123_457]
            let parts = sizes.enumerated().map { Self.bytes($0.element, seed: UInt64(10 + $0.offset)) }
            let whole = parts.flatMap { $0 }
            let id = try await client.createMultipartUpload("mp/blob")
            var uploaded: [S3Part] = []
            for (index, part) in parts.enumerated() {
                uploaded.append(try await client.uploadPart(
                    "mp/blob", uploadID: id, number: index + 1, body: .bytes(ByteBuffer(bytes: part)), length: part.count,
                    crc64nvme: CRC64.nvme.checksum(part)))
            }
            try await client.completeMultipartUpload("mp/blob", uploadID: id, parts: uploaded)
            #expect(try await Self.collect(client.get("mp/blob")) == whole)
            // The backend's own full-object checksum is the CRC of all the bytes, computed here in one pass.
            #expect(try await client.storedChecksum(of: "mp/blob") == CRC64.nvme.checksum(whole))
        }
    }

    @Test("a part whose bytes do not match its CRC-64/NVME is refused; an aborted upload leaves nothing")
    func multipartRefusalsAndAbort() async throws {
        try await withSeaweedFS { _, client in
            let part = Self.bytes(5 << 20, seed: 20)
            var altered = part
            altered[12_345] ^= 0x80
            let id = try await client.createMultipartUpload("mp/bad")
            await #expect(throws: StorageError.self) {
                _ = try await client.uploadPart(
                    "mp/bad", uploadID: id, number: 1, body: .bytes(ByteBuffer(bytes: altered)), length: altered.count,
                    crc64nvme: CRC64.nvme.checksum(part))
            }
            _ = try await client.uploadPart(
                "mp/bad", uploadID: id, number: 1, body: .bytes(ByteBuffer(bytes: part)), length: part.count,
                crc64nvme: CRC64.nvme.checksum(part))
            try await client.abortMultipartUpload("mp/bad", uploadID: id)
            #expect(try await client.size(of: "mp/bad") == nil)
            #expect(try await client.list(prefix: "mp/").keys.isEmpty)
        }
    }

    @Test("wrong credentials are refused, not retried as unavailable")
    func wrongCredentialsAreARefusal() async throws {
        try await withSeaweedFS { server, _ in
            let intruder = S3BlobClient(OSSBlobBackend(
                host: "127.0.0.1", port: server.s3Port, bucket: "blobs", accessKeyID: SeaweedFSServer.accessKeyID,
                secret: "not-the-secret"))
            defer { Task { try? await intruder.shutdown() } }
            await #expect(throws: StorageError.backend(
                operation: "HeadObject", detail: "HTTP 403 no error code", unavailable: false)
            ) { _ = try await intruder.size(of: "anything") }
        }
    }
}

@Suite("S3 blob client without a backend")
struct S3BlobClientUnreachableTests {
    @Test("an unreachable backend fails as unavailable (503 to the client)")
    func unreachableIsUnavailable() async throws {
        // Bound but never listening, and held for the whole test: connections are refused, and
        // no server a parallel test starts (or restarts) can take the port meanwhile.
        let (descriptor, port) = try SeaweedFSServer.boundPort()
        defer { close(descriptor) }
        let client = S3BlobClient(
            OSSBlobBackend(host: "127.0.0.1", port: port, bucket: "b", accessKeyID: "k", secret: "s"),
            connectTimeout: .seconds(2))
        do {
            _ = try await client.size(of: "x")
            Issue.record("a request to a closed port succeeded")
        } catch let StorageError.backend(operation, detail, unavailable, _) {
            #expect(operation == "HeadObject" && unavailable)
            #expect(detail == "cannot reach http://127.0.0.1:\(port): Connection refused", "an operator's message: \(detail)")
            #expect(StorageError.backend(operation: operation, detail: "", unavailable: true).ossError().status == 503)
        }
        try await client.shutdown()
    }

    @Test("the CRC-64/NVME header is the CRC's eight bytes, most significant first, in base64")
    func checksumHeader() {
        // CRC-64/NVME of "123456789" is 0xAE8B14860A799888 (the catalogue's check value).
        #expect(S3BlobClient.checksumHeader(CRC64.nvme.checksum("123456789".utf8)) == "rosUhgp5mIg=")
    }

    @Test("CI has the engines: with OSS_REQUIRE_ENGINES=1 a missing `weed` is a failure, not a skip",
          .enabled(if: SeaweedFSServer.required))
    func enginesPresentWhenRequired() {
        #expect(SeaweedFSServer.binary != nil, "\(SeaweedFSServer.missing)")
    }
}

/// The client's retries, against a stand-in backend that fails on purpose (SeaweedFS cannot be
/// made to answer 503 on demand).
@Suite("S3 blob client retries")
struct S3BlobClientRetryTests {
    /// Serves HEAD of `/b/k` (size 5) after answering `failures` times with `status`; counts tries.
    static func withFlakyBackend(
        failures: Int, status: HTTPResponse.Status, _ body: @Sendable (S3BlobClient, NIOLockedValueBox<Int>) async throws -> Void
    ) async throws {
        let tries = NIOLockedValueBox(0)
        let router = Router()
        router.head("/b/k") { _, _ -> Response in
            let attempt = tries.withLockedValue { value -> Int in
                value += 1
                return value
            }
            guard attempt > failures else { return Response(status: status) }
            return Response(status: .ok, headers: [.contentLength: "5"])
        }
        router.put("/b/k") { _, _ -> Response in
            tries.withLockedValue { $0 += 1 }
            return Response(status: status)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { live in
            let client = S3BlobClient(
                OSSBlobBackend(host: "127.0.0.1", port: try #require(live.port), bucket: "b", accessKeyID: "k", secret: "s"))
            do {
                try await body(client, tries)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test("a read the backend answers with 503 twice is tried again and succeeds on the third try")
    func readsAreRetried() async throws {
        try await Self.withFlakyBackend(failures: 2, status: .serviceUnavailable) { (client: S3BlobClient, tries: NIOLockedValueBox<Int>) async throws in
            #expect(try await client.size(of: "k") == 5)
            #expect(tries.withLockedValue { $0 } == 3)
        }
    }

    @Test("three 503s in a row fail as unavailable; a 403 is not tried again; a write with a body is tried once")
    func limits() async throws {
        try await Self.withFlakyBackend(failures: 3, status: .serviceUnavailable) { (client: S3BlobClient, tries: NIOLockedValueBox<Int>) async throws in
            await #expect(throws: StorageError.self) { _ = try await client.size(of: "k") }
            #expect(tries.withLockedValue { $0 } == 3)
        }
        try await Self.withFlakyBackend(failures: 1, status: .forbidden) { (client: S3BlobClient, tries: NIOLockedValueBox<Int>) async throws in
            await #expect(throws: StorageError.self) { _ = try await client.size(of: "k") }
            #expect(tries.withLockedValue { $0 } == 1)
        }
        try await Self.withFlakyBackend(failures: 1, status: .serviceUnavailable) { (client: S3BlobClient, tries: NIOLockedValueBox<Int>) async throws in
            await #expect(throws: StorageError.self) {
                try await client.put("k", body: .bytes(ByteBuffer(bytes: [1])), length: 1, crc64nvme: CRC64.nvme.checksum([1]))
            }
            #expect(tries.withLockedValue { $0 } == 1)
        }
    }
}
