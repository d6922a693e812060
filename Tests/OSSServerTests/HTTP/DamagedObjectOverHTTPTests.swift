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
}
