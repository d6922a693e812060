import Foundation
import OSSClient
import Testing

/// Traces the file system calls of a real `oss serve` (an `LD_PRELOAD` interposer records writes,
/// fsyncs, renames and the moment each HTTP response is sent) and checks, for every acknowledged
/// write of every kind, that all it wrote was durable before the response left: each file written
/// was fsynced after its last write (blob data, the SQLite WAL and database), and each rename was
/// followed by an fsync of the destination directory. This is what "an acknowledged write survives
/// power loss" means at the system-call level; a test of results could not see a missing fsync.
@Suite("Durability: every acknowledged write is synced before its response is sent")
struct DurabilityTraceTests {
    @Test("every kind of write (objects, parts, appends, seals, restores, copies, symlinks, tags, ACLs, deletes, buckets, versions): data, directory entries and metadata synced first")
    func everyWriteIsSyncedBeforeItsResponse() async throws {
        let workspace = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let interposer = try DurabilityTrace.buildInterposer(in: workspace)
        let tracePath = workspace.appendingPathComponent("trace.log").path
        let server = try ServerProcess(serverEnvironment: ["LD_PRELOAD": interposer, "DURABILITY_TRACE": tracePath])
        defer { server.stop() }
        // Start-up work (creating the bucket, the credentials file) is not under test.
        try Data().write(to: URL(fileURLWithPath: tracePath))

        let client = try OSSClient(
            endpoint: server.endpoint, credentials: .static(accessKeyID: "LTAIcli", secret: "cli-secret"))
        var operations: [String] = []
        do {
            let big = (0..<(300 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
            let put = try await client.putObject(OSSPutObjectRequest(bucket: "cli", key: "put", body: .bytes(big)))
            operations.append("PutObject")
            let upload = try await client.initiateMultipartUpload(bucket: "cli", key: "multi")
            operations.append("InitiateMultipartUpload")
            let part = try await client.uploadPart(
                OSSUploadPartRequest(bucket: "cli", key: "multi", uploadID: upload.uploadID, partNumber: 1, body: .bytes(big)))
            operations.append("UploadPart")
            let copied = try await client.uploadPartCopy(
                OSSUploadPartCopyRequest(
                    bucket: "cli", key: "multi", uploadID: upload.uploadID, partNumber: 2, sourceBucket: "cli",
                    sourceKey: "put", sourceRange: 1000...200_000))
            operations.append("UploadPartCopy")
            _ = try await client.completeMultipartUpload(
                OSSCompleteMultipartUploadRequest(
                    bucket: "cli", key: "multi", uploadID: upload.uploadID,
                    parts: [
                        part.part,
                        OSSUploadedPart(partNumber: 2, etag: copied.etag, size: 199_001, crc64: nil),
                    ]))
            operations.append("CompleteMultipartUpload")
            let firstAppend = try await client.appendObject(
                OSSAppendObjectRequest(bucket: "cli", key: "log", position: 0, previousCRC64: nil, body: .bytes(Array(big[0..<5000]))))
            operations.append("AppendObject (new)")
            _ = try await client.appendObject(
                OSSAppendObjectRequest(bucket: "cli", key: "log", position: 5000, previousCRC64: firstAppend.crc64, body: .bytes(Array(big[5000..<9000]))))
            operations.append("AppendObject (existing)")
            _ = try await client.copyObject(
                OSSCopyObjectRequest(sourceBucket: "cli", sourceKey: "put", bucket: "cli", key: "copy", sourceCRC64: put.crc64))
            operations.append("CopyObject")
            try await client.putObjectTagging(bucket: "cli", key: "copy", tagging: OSSTagging(["k": "v"]))
            operations.append("PutObjectTagging")
            try await client.deleteObject(bucket: "cli", key: "put")
            operations.append("DeleteObject")
            _ = try await client.putSymlink(OSSPutSymlinkRequest(bucket: "cli", key: "link", target: "copy"))
            operations.append("PutSymlink")
            try await client.putObjectACL(bucket: "cli", key: "copy", acl: .publicRead)
            operations.append("PutObjectACL")
            _ = try await client.deleteObjects(bucket: "cli", keys: ["link", "log"], quiet: true)
            operations.append("DeleteMultipleObjects")
            let abandoned = try await client.initiateMultipartUpload(bucket: "cli", key: "abandoned")
            operations.append("InitiateMultipartUpload")
            try await client.abortMultipartUpload(bucket: "cli", key: "abandoned", uploadID: abandoned.uploadID)
            operations.append("AbortMultipartUpload")
            try await client.createBucket("second")
            operations.append("PutBucket")
            try await client.putBucketACL("second", acl: .publicRead)
            operations.append("PutBucketAcl")
            try await client.deleteBucket("second")
            operations.append("DeleteBucket")
            _ = try await client.appendObject(
                OSSAppendObjectRequest(bucket: "cli", key: "sealed", position: 0, previousCRC64: nil, body: .bytes([1, 2, 3])))
            operations.append("AppendObject (new)")
            try await client.sealAppendObject(bucket: "cli", key: "sealed", position: 3)
            operations.append("SealAppendObject")
            _ = try await client.putObject(
                OSSPutObjectRequest(
                    bucket: "cli", key: "frozen", body: .bytes([4]), options: OSSObjectWriteOptions(storageClass: .archive)))
            operations.append("PutObject (inline)")
            try await client.restoreObject(bucket: "cli", key: "frozen")
            operations.append("RestoreObject")
            // Versioned writes and deletes: a version kept, a marker added, a version removed.
            try await client.putBucketVersioning("cli", status: .enabled)
            operations.append("PutBucketVersioning")
            let kept = try await client.putObject(OSSPutObjectRequest(bucket: "cli", key: "versioned", body: .bytes(big)))
            operations.append("PutObject")
            _ = try await client.putObject(OSSPutObjectRequest(bucket: "cli", key: "versioned", body: .bytes([5])))
            operations.append("PutObject (inline)")
            let marker = try await client.deleteObject(bucket: "cli", key: "versioned")
            operations.append("DeleteObject")
            try await client.deleteObject(bucket: "cli", key: "versioned", versionID: marker.versionID)
            operations.append("DeleteObject")
            try await client.deleteObject(bucket: "cli", key: "versioned", versionID: kept.versionID)
            operations.append("DeleteObject")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()

        let trace = try DurabilityTrace(contentsOf: tracePath)
        try #require(trace.windows.count == operations.count, "one response per request: \(trace.windows.map(\.status))")
        for (operation, window) in zip(operations, trace.windows) {
            #expect(window.status.hasPrefix("2"), "\(operation) answered \(window.status)")
            for problem in window.durabilityProblems() {
                Issue.record("\(operation): \(problem)")
            }
            #expect(window.synced.contains { $0.hasSuffix("/metadata.sqlite-wal") }, "\(operation) did not sync the WAL")
        }
        for (operation, window) in zip(operations, trace.windows)
        where ["PutObject", "UploadPart", "UploadPartCopy", "AppendObject (new)", "AppendObject (existing)"].contains(operation) {
            #expect(window.renames.contains { $0.to.contains("/blobs/") }, "\(operation) published no blob")
        }
        // A small body lives in its metadata row: the WAL sync (checked above) is its sync, and
        // no file is written for it.
        for (operation, window) in zip(operations, trace.windows) where operation == "PutObject (inline)" {
            #expect(window.renames.isEmpty && window.synced.allSatisfy { $0.hasSuffix("/metadata.sqlite-wal") }, "\(operation): \(window.synced)")
        }
    }
}

/// The events an interposed process recorded, split at each HTTP response it sent.
struct DurabilityTrace {
    /// Everything a process did between two responses, and the status of the second.
    struct Window {
        var events: [(kind: String, arguments: [String])] = []
        var status = ""

        var synced: [String] { events.filter { $0.kind == "sync" }.map { $0.arguments[0] } }
        var renames: [(from: String, to: String)] {
            events.filter { $0.kind == "rename" }.map { ($0.arguments[0], $0.arguments[1]) }
        }

        /// Writes not followed by an fsync of the same file, renames not followed by an fsync of
        /// the destination directory. A file renamed after it was written is followed under its
        /// new name (its descriptor reports the new path). SQLite's `-shm` index is shared memory
        /// that SQLite rebuilds after a crash; it never needs to be durable.
        func durabilityProblems() -> [String] {
            var unsynced: [String: Int] = [:]  // path → index of its last unsynced write
            var unsyncedDirectories: [String: String] = [:]  // directory → the rename it must persist
            for (index, event) in events.enumerated() {
                switch event.kind {
                case "write":
                    let path = event.arguments[0]
                    // The shared-memory index and the folder's LOCK (which process holds it,
                    // rewritten at every start and when the server announces itself, possibly
                    // while the first request runs) hold no data.
                    if !path.hasSuffix("-shm") && !path.hasSuffix("/LOCK") { unsynced[path] = index }
                case "sync":
                    let path = event.arguments[0]
                    unsynced[path] = nil
                    unsyncedDirectories[path] = nil
                case "rename":
                    let (from, to) = (event.arguments[0], event.arguments[1])
                    if let pending = unsynced.removeValue(forKey: from) { unsynced[to] = pending }
                    unsyncedDirectories[(to as NSString).deletingLastPathComponent] = "\(from) → \(to)"
                default:
                    break
                }
            }
            return unsynced.keys.sorted().map { "\($0) written but not fsynced before the response" }
                + unsyncedDirectories.sorted { $0.key < $1.key }.map {
                    "rename \($0.value) not made durable (no fsync of \($0.key)) before the response"
                }
        }
    }

    let windows: [Window]

    init(contentsOf path: String) throws {
        var windows: [Window] = []
        var current = Window()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            guard let kind = parts.first else { continue }
            if kind == "response" {
                current.status = parts.count > 1 ? parts[1] : ""
                windows.append(current)
                current = Window()
            } else {
                current.events.append((kind, Array(parts.dropFirst())))
            }
        }
        self.windows = windows
    }

    /// Compiles `Tests/Interposers/durability-trace.c` into a shared library with the toolchain's
    /// C compiler and returns its path.
    static func buildInterposer(in directory: URL) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interposers/durability-trace.c").path
        let library = directory.appendingPathComponent("durability-trace.so").path
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = ["clang", "-shared", "-fPIC", "-O1", "-o", library, source, "-ldl"]
        try compiler.run()
        compiler.waitUntilExit()
        guard compiler.terminationStatus == 0 else {
            throw CLIError("clang could not build the durability interposer from \(source)")
        }
        return library
    }
}
