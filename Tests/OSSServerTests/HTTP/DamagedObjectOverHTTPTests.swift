import Foundation
import NIOCore
import OSSProtocol
import Testing

@testable import OSSServer

/// What a client sees of damaged data: an error before any byte when the damage is in the
/// first chunk a response would send, and never a byte of a block that failed its CRC.
@Suite("Damaged objects over HTTP")
struct DamagedObjectOverHTTPTests {
    /// PUTs `bytes` at `key` of `bkt`, then flips the stored byte at `offset`, as rot would.
    static func storeDamaged(_ server: LiveServer, _ key: String, _ bytes: [UInt8], flippingByteAt offset: UInt64) async throws {
        #expect(try await server.put(key, bytes).status == .ok)
        let record = try await server.storage.objectInfo(bucket: "bkt", key: key)
        try flipByte(at: offset, ofFile: blobPath(server.dataDirectory.path, record.segments[0].blob))
    }

    @Test("a GET of a 5 MiB object with rot in its first MiB is an error answer, not a 200 with bytes")
    func rotInFirstChunk() async throws {
        try await LiveServer.run { server in
            try await Self.storeDamaged(server, "big", testBytes(5 << 20), flippingByteAt: 300_000)
            let whole = try await server.send(.get, key: "big")
            #expect(whole.status == .internalServerError)
            #expect(whole.errorCode == "InternalError")
            let error = try OSSError(parsing: Data(whole.bytes), status: 500)
            #expect(error.isDamagedObject)
            #expect(error.detail("DamagedObject")?.hasPrefix("block 4 (bytes 262144..<327680)") == true)
        }
    }

    @Test("a ranged GET over a flipped byte is an error answer; a range elsewhere is a clean 206")
    func rangedGet() async throws {
        try await LiveServer.run { server in
            let bytes = testBytes(1 << 20)
            try await Self.storeDamaged(server, "k", bytes, flippingByteAt: 500_000)
            let over = try await server.send(.get, key: "k", headers: [("Range", "bytes=499990-500010")])
            #expect(over.status == .internalServerError)
            #expect(over.errorCode == "InternalError")
            let elsewhere = try await server.send(.get, key: "k", headers: [("Range", "bytes=0-99")])
            #expect(elsewhere.status == .partialContent)
            #expect(elsewhere.bytes == Array(bytes[0..<100]))
        }
    }

    @Test("UploadPartCopy of a damaged range is an error answer and adds no part")
    func partCopy() async throws {
        try await LiveServer.run { server in
            try await Self.storeDamaged(server, "src", testBytes(400_000), flippingByteAt: 250_000)
            let upload = try await server.storage.initiateMultipartUpload(bucket: "bkt", key: "dst")
            let copy = try await server.send(
                .put, key: "dst",
                query: [.init(name: "partNumber", value: "1"), .init(name: "uploadId", value: upload.uploadID)],
                headers: [("x-oss-copy-source", "/bkt/src"), ("x-oss-copy-source-range", "bytes=200000-299999")])
            #expect(copy.status == .internalServerError)
            let parts = try await server.storage.listParts(bucket: "bkt", key: "dst", uploadID: upload.uploadID).parts
            #expect(parts.isEmpty)
        }
    }

    @Test("an object the scrubber marked is refused on GET, HEAD and copy with the damaged-object error, before any byte")
    func markedByTheScrubber() async throws {
        try await LiveServer.run { server in
            try await Self.storeDamaged(server, "rotten", testBytes(300_000), flippingByteAt: 200_000)
            // A GET of the first block alone would not see the damage; the mark is what refuses it.
            #expect(try await server.send(.get, key: "rotten", headers: [("Range", "bytes=0-99")]).status == .partialContent)
            let report = try await server.storage.scrub()
            #expect(report.damaged.map(\.key) == ["rotten"])
            let get = try await server.send(.get, key: "rotten", headers: [("Range", "bytes=0-99")])
            #expect(get.status == .internalServerError)
            let error = try OSSError(parsing: Data(get.bytes), status: 500)
            #expect(error.isDamagedObject)
            #expect(error.detail("DamagedObject")?.contains("scrubber") == true)
            let head = try await server.send(.head, key: "rotten")
            #expect(head.status == .internalServerError)
            #expect(head.errorCode == "InternalError")
            #expect(head.bytes.isEmpty)
            let copy = try await server.send(.put, key: "copy", headers: [("x-oss-copy-source", "/bkt/rotten")])
            #expect(copy.status == .internalServerError)
            #expect(try await server.send(.head, key: "copy").status == .notFound)
            let samples = MetricsTests.samples(String(decoding: await server.metrics.render(storage: server.storage), as: UTF8.self))
            #expect(samples["oss_crc_mismatches_total{caught=\"scrub\"}"] == 1)
            #expect(samples["oss_damaged_objects"] == 1)
        }
    }
}
