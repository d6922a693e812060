import Foundation
import NIOConcurrencyHelpers
import NIOCore
import OSSClient
import Testing

@Suite("Uploader, downloader and copier")
struct TransferTests {
    static let bucket = TestServer.bucket
    /// Small parts so that a few hundred KiB make many parts.
    static let partSize: Int64 = 100 << 10

    @Test("A small file goes up in one PutObject")
    func smallUpload() async throws {
        try await TestServer.run { server in
            let (file, bytes) = try server.makeFile("small.bin", size: 50_000)
            let result = try await OSSUploader(client: server.client).upload(file: file, bucket: Self.bucket, key: "small")
            #expect(result.partCount == 0)
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(try await server.client.getObject(bucket: Self.bucket, key: "small").body == bytes)
        }
    }

    @Test("A large file goes up in parallel parts; CRC combined and verified; progress reaches the total")
    func multipartUpload() async throws {
        try await TestServer.run { server in
            let (file, bytes) = try server.makeFile("large.bin", size: 1_050_000, seed: 2)
            let seen = NIOLockedValueBox<[OSSTransferProgress]>([])
            let uploader = OSSUploader(
                client: server.client,
                options: OSSUploaderOptions(
                    partSize: Self.partSize, multipartThreshold: 200_000, concurrency: 4,
                    objectOptions: OSSObjectWriteOptions(contentType: "application/x-large", metadata: ["k": "v"]),
                    progress: { progress in seen.withLockedValue { $0.append(progress) } }))
            let result = try await uploader.upload(file: file, bucket: Self.bucket, key: "large")
            #expect(result.partCount == 11)
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            let get = try await server.client.getObject(bucket: Self.bucket, key: "large")
            #expect(get.body == bytes)
            #expect(get.metadata.contentType == "application/x-large")
            #expect(get.metadata.metadata["k"] == "v")
            let reports = seen.withLockedValue { $0 }
            #expect(reports.map(\.bytesTransferred).max() == 1_050_000)
            #expect(reports.allSatisfy { $0.totalBytes == 1_050_000 })
            let uploads = try await server.client.listMultipartUploads(OSSListMultipartUploadsRequest(bucket: Self.bucket))
            #expect(uploads.uploads.isEmpty)
        }
    }

    @Test("Upload progress moves within a part as it is sent; a retried part counts once")
    func progressWithinParts() async throws {
        try await TestServer.run { server in
            let size = (5 << 20) + 12_345
            let (file, bytes) = try server.makeFile("progress.bin", size: size, seed: 21)
            let failedOnce = NIOLockedValueBox(false)
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    // The first part's first answer is a 503: the client must send it again.
                    guard exchange.isUploadPart, exchange.path.contains("partNumber=1&") || exchange.path.hasSuffix("partNumber=1")
                    else { return }
                    let first = failedOnce.withLockedValue { failed in
                        defer { failed = true }
                        return !failed
                    }
                    guard first else { return }
                    exchange.status = 503
                    exchange.setResponseHeader("x-oss-hash-crc64ecma", nil)
                    exchange.responseBody = Array("<Error><Code>ServiceUnavailable</Code></Error>".utf8)
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let seen = NIOLockedValueBox<[Int64]>([])
                    let uploader = OSSUploader(
                        client: client,
                        options: OSSUploaderOptions(
                            partSize: 4 << 20, multipartThreshold: 1 << 20, concurrency: 1,
                            progress: { progress in seen.withLockedValue { $0.append(progress.bytesTransferred) } }))
                    let result = try await uploader.upload(file: file, bucket: Self.bucket, key: "progress")
                    #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
                    let reports = seen.withLockedValue { $0 }
                    #expect(failedOnce.withLockedValue { $0 }, "the proxy failed a part")
                    #expect(reports.last == Int64(size))
                    #expect(reports.allSatisfy { (0...Int64(size)).contains($0) }, "\(reports)")
                    // Values strictly inside the first part: it was reported slice by slice.
                    #expect(reports.contains { $0 > 0 && $0 < 4 << 20 }, "\(reports)")
                    // The failed attempt was taken back before the part was sent again.
                    #expect(zip(reports, reports.dropFirst()).contains { $0 > $1 }, "\(reports)")
                }
            }
        }
    }

    @Test("A stream of odd-sized chunks is re-cut into parts", arguments: [150_000, 700_001])
    func streamUpload(size: Int) async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: size, seed: 4)
            let chunks = stride(from: 0, to: size, by: 33_333).map { ByteBuffer(bytes: bytes[$0..<min($0 + 33_333, size)]) }
            let stream = AsyncStream<ByteBuffer> { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            let uploader = OSSUploader(
                client: server.client,
                options: OSSUploaderOptions(partSize: Self.partSize, multipartThreshold: 200_000, concurrency: 2))
            let result = try await uploader.upload(stream: stream, bucket: Self.bucket, key: "s")
            #expect(result.partCount == (size < 200_000 ? 0 : (size + 102_399) / 102_400))
            #expect(result.size == Int64(size))
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(try await server.client.getObject(bucket: Self.bucket, key: "s").body == bytes)
        }
    }

    @Test("Parallel ranged download into the file, verified by combining range CRCs", arguments: [0, 1, 1_000_000])
    func download(size: Int) async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: size, seed: 6)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "d", body: .bytes(bytes)))
            let seen = NIOLockedValueBox<Int64>(0)
            let downloader = OSSDownloader(
                client: server.client,
                options: OSSDownloaderOptions(
                    partSize: Self.partSize, concurrency: 3,
                    progress: { progress in seen.withLockedValue { $0 = max($0, progress.bytesTransferred) } }))
            let destination = server.scratch.appendingPathComponent("d.out")
            try Data([1, 2, 3]).write(to: destination)  // replaced on success
            let result = try await downloader.download(bucket: Self.bucket, key: "d", to: destination)
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(result.size == Int64(size))
            #expect(try Array(Data(contentsOf: destination)) == bytes)
            #expect(try server.scratchContents() == ["d.out"])
            #expect(seen.withLockedValue { $0 } == Int64(size))
        }
    }

    @Test("A damaged range fails the download and leaves the old destination untouched")
    func damagedRange() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 500_000, seed: 8)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "d", body: .bytes(bytes)))
            let checkpoints = server.scratch.appendingPathComponent("checkpoints")
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    if exchange.isRangedGet, exchange.responseHeader("Content-Range")?.hasPrefix("bytes 204800-") == true {
                        exchange.responseBody[17] ^= 0x80
                    }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let destination = server.scratch.appendingPathComponent("d.out")
                    try Data("old".utf8).write(to: destination)
                    let downloader = OSSDownloader(
                        client: client,
                        options: OSSDownloaderOptions(partSize: Self.partSize, checkpointDirectory: checkpoints))
                    let error = await #expect(throws: OSSClientError.self) {
                        try await downloader.download(bucket: Self.bucket, key: "d", to: destination)
                    }
                    #expect(error?.isCRCMismatch == true)
                    #expect(try Data(contentsOf: destination) == Data("old".utf8))
                    let left = try server.scratchContents()
                    #expect(left == ["checkpoints", "d.out"])
                    let saved = try FileManager.default.contentsOfDirectory(atPath: checkpoints.path)
                    #expect(saved.isEmpty)
                }
            }
        }
    }

    @Test("The copier copies by parts and proves the copy equal to the source")
    func copier() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 450_000, seed: 10)
            _ = try await server.client.putObject(
                OSSPutObjectRequest(
                    bucket: Self.bucket, key: "src", body: .bytes(bytes),
                    options: OSSObjectWriteOptions(contentType: "text/x-src", metadata: ["origin": "test"])))
            try await server.client.createBucket("other")
            let copier = OSSCopier(client: server.client, options: .init(partSize: Self.partSize, concurrency: 2))
            let result = try await copier.copy(sourceBucket: Self.bucket, sourceKey: "src", bucket: "other", key: "dst")
            #expect(result.partCount == 5)
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            let copy = try await server.client.getObject(bucket: "other", key: "dst")
            #expect(copy.body == bytes)
            #expect(copy.metadata.contentType == "text/x-src")
            #expect(copy.metadata.metadata["origin"] == "test")
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "empty", body: .bytes([])))
            let empty = try await copier.copy(sourceBucket: Self.bucket, sourceKey: "empty", bucket: "other", key: "e")
            #expect(empty.crcVerification == .verified(0))
        }
    }
}
