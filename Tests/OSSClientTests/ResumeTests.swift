import Foundation
import OSSClient
import Testing

/// Transfers killed midway (their task cancelled while parts are in flight) and resumed from
/// their checkpoints.
@Suite("Resumable transfers")
struct ResumeTests {
    static let bucket = TestServer.bucket
    static let partSize: Int64 = 100 << 10

    static func uploaderOptions(_ checkpoints: URL, policy: OSSStaleCheckpointPolicy = .restart) -> OSSUploaderOptions {
        OSSUploaderOptions(
            partSize: partSize, multipartThreshold: 200_000, concurrency: 2, checkpointDirectory: checkpoints,
            staleCheckpointPolicy: policy)
    }

    /// Runs `transfer` through a proxy that lets the first `finished` matching requests through
    /// and holds the next ones, then cancels the transfer while two are held: exactly `finished`
    /// parts are recorded, and nothing more reaches the server.
    static func interrupt(
        server: TestServer, finished: Int, holding matches: @escaping @Sendable (ProxyExchange) -> Bool,
        _ transfer: @escaping @Sendable (OSSClient) async throws -> Void
    ) async throws {
        let gate = Gate()
        let seen = Counter()
        try await TamperingProxy.run(
            upstreamPort: server.port,
            onRequest: { exchange in
                guard matches(exchange) else { return }
                if await seen.increment() > finished {
                    await gate.wait()
                    exchange.neutralise()
                }
            }
        ) { proxy in
            try await server.withClient(port: proxy.port) { client in
                let task = Task { try await transfer(client) }
                #expect(await gate.waitUntilHolding(2))
                task.cancel()
                let outcome = await task.result
                await gate.release()
                #expect(throws: CancellationError.self) { try outcome.get() }
            }
        }
    }

    static func interruptedUpload(server: TestServer, file: URL, checkpoints: URL, finished: Int) async throws {
        try await interrupt(server: server, finished: finished, holding: \.isUploadPart) { client in
            _ = try await OSSUploader(client: client, options: uploaderOptions(checkpoints))
                .upload(file: file, bucket: bucket, key: "big")
        }
    }

    static func interruptedDownload(server: TestServer, destination: URL, checkpoints: URL, finished: Int) async throws {
        try await interrupt(server: server, finished: finished, holding: \.isRangedGet) { client in
            let options = OSSDownloaderOptions(partSize: partSize, concurrency: 2, checkpointDirectory: checkpoints)
            _ = try await OSSDownloader(client: client, options: options).download(bucket: bucket, key: "big", to: destination)
        }
    }

    @Test("A cancelled upload resumes with only the missing parts, to a verified object")
    func resumeUpload() async throws {
        try await TestServer.run { server in
            let checkpoints = server.scratch.appendingPathComponent("checkpoints")
            let (file, bytes) = try server.makeFile("big.bin", size: 1_000_000, seed: 12)
            try await Self.interruptedUpload(server: server, file: file, checkpoints: checkpoints, finished: 4)
            #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).count == 1)
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "big"))

            try await TamperingProxy.run(upstreamPort: server.port) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let uploader = OSSUploader(client: client, options: Self.uploaderOptions(checkpoints))
                    let result = try await uploader.upload(file: file, bucket: Self.bucket, key: "big")
                    #expect(result.resumedParts == 4)
                    #expect(result.partCount == 10)
                    #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
                    let uploadedAgain = proxy.exchanges.filter(\.isUploadPart).count
                    #expect(uploadedAgain == 6)
                }
            }
            #expect(try await server.client.getObject(bucket: Self.bucket, key: "big").body == bytes)
            #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).isEmpty)
        }
    }

    @Test("A changed file is not resumed: the upload restarts, or fails under .fail")
    func staleUpload() async throws {
        try await TestServer.run { server in
            let checkpoints = server.scratch.appendingPathComponent("checkpoints")
            let (file, _) = try server.makeFile("big.bin", size: 1_000_000, seed: 13)
            try await Self.interruptedUpload(server: server, file: file, checkpoints: checkpoints, finished: 3)
            let changed = TestBytes.random(count: 1_000_000, seed: 99)
            try Data(changed).write(to: file)
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: file.path)

            let failing = OSSUploader(client: server.client, options: Self.uploaderOptions(checkpoints, policy: .fail))
            let error = await #expect(throws: OSSClientError.self) {
                try await failing.upload(file: file, bucket: Self.bucket, key: "big")
            }
            guard error?.code == .staleCheckpoint else {
                Issue.record("expected a stale checkpoint, got \(String(describing: error))")
                return
            }
            let restarting = OSSUploader(client: server.client, options: Self.uploaderOptions(checkpoints))
            let result = try await restarting.upload(file: file, bucket: Self.bucket, key: "big")
            #expect(result.resumedParts == 0)
            #expect(result.crcVerification == .verified(TestBytes.crc(changed)))
            #expect(try await server.client.getObject(bucket: Self.bucket, key: "big").body == changed)
            // The stale upload was aborted, not left behind.
            let uploads = try await server.client.listMultipartUploads(OSSListMultipartUploadsRequest(bucket: Self.bucket))
            #expect(uploads.uploads.isEmpty)
        }
    }

    @Test("A cancelled download resumes with only the missing ranges, to a verified file")
    func resumeDownload() async throws {
        try await TestServer.run { server in
            let checkpoints = server.scratch.appendingPathComponent("checkpoints")
            let bytes = TestBytes.random(count: 1_000_000, seed: 14)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "big", body: .bytes(bytes)))
            let destination = server.scratch.appendingPathComponent("big.out")
            try await Self.interruptedDownload(server: server, destination: destination, checkpoints: checkpoints, finished: 3)
            #expect(!FileManager.default.fileExists(atPath: destination.path))
            #expect(try server.scratchContents().count == 2)  // checkpoints/ and the partial file

            try await TamperingProxy.run(upstreamPort: server.port) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let downloader = OSSDownloader(
                        client: client,
                        options: OSSDownloaderOptions(partSize: Self.partSize, checkpointDirectory: checkpoints))
                    let result = try await downloader.download(bucket: Self.bucket, key: "big", to: destination)
                    #expect(result.resumedParts == 3)
                    #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
                    #expect(proxy.exchanges.filter(\.isRangedGet).count == 7)
                }
            }
            #expect(try Array(Data(contentsOf: destination)) == bytes)
            #expect(try server.scratchContents() == ["big.out", "checkpoints"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).isEmpty)
        }
    }

    @Test("A replaced object is not resumed: the download restarts with the new version")
    func staleDownload() async throws {
        try await TestServer.run { server in
            let checkpoints = server.scratch.appendingPathComponent("checkpoints")
            _ = try await server.client.putObject(
                OSSPutObjectRequest(bucket: Self.bucket, key: "big", body: .bytes(TestBytes.random(count: 1_000_000, seed: 15))))
            let destination = server.scratch.appendingPathComponent("big.out")
            try await Self.interruptedDownload(server: server, destination: destination, checkpoints: checkpoints, finished: 2)
            let replacement = TestBytes.random(count: 1_000_000, seed: 16)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "big", body: .bytes(replacement)))
            let downloader = OSSDownloader(
                client: server.client, options: OSSDownloaderOptions(partSize: Self.partSize, checkpointDirectory: checkpoints))
            let result = try await downloader.download(bucket: Self.bucket, key: "big", to: destination)
            #expect(result.resumedParts == 0)
            #expect(result.crcVerification == .verified(TestBytes.crc(replacement)))
            #expect(try Array(Data(contentsOf: destination)) == replacement)
            #expect(try server.scratchContents() == ["big.out", "checkpoints"])
        }
    }

    @Test("A partial file damaged on disk between runs is re-fetched where it is damaged")
    func damagedPartialFile() async throws {
        try await TestServer.run { server in
            let checkpoints = server.scratch.appendingPathComponent("checkpoints")
            let bytes = TestBytes.random(count: 1_000_000, seed: 17)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "big", body: .bytes(bytes)))
            let destination = server.scratch.appendingPathComponent("big.out")
            try await Self.interruptedDownload(server: server, destination: destination, checkpoints: checkpoints, finished: 3)
            let partial = try #require(try server.scratchContents().first { $0.hasSuffix(".tmp") })
            let handle = try FileHandle(forUpdating: server.scratch.appendingPathComponent(partial))
            try handle.seek(toOffset: 5)  // inside the first range
            try handle.write(contentsOf: Data([bytes[5] ^ 0xFF]))
            try handle.close()
            let downloader = OSSDownloader(
                client: server.client, options: OSSDownloaderOptions(partSize: Self.partSize, checkpointDirectory: checkpoints))
            let result = try await downloader.download(bucket: Self.bucket, key: "big", to: destination)
            #expect(result.resumedParts == 2)
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(try Array(Data(contentsOf: destination)) == bytes)
        }
    }
}
