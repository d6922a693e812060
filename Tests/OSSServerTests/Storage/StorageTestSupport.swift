import CRC64
import Crypto
import Foundation
import NIOCore
import Testing

@testable import OSSServer

/// A data directory of its own for one test, deleted when the test ends.
@discardableResult
func withDataDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("swift-oss-storage-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Small chunks, so that modest test objects still cross many chunk boundaries.
func testConfiguration(chunkSize: Int = 64 * 1024, maxObjectSize: Int = 5 << 30) -> StorageConfiguration {
    var configuration = StorageConfiguration()
    configuration.chunkSize = chunkSize
    configuration.maxObjectSize = maxObjectSize
    configuration.diskReserve = 1 << 20
    // With shared metadata, released blobs go at once, as on one server; the grace period has
    // tests of its own.
    configuration.deletionGrace = .zero
    return configuration
}

/// A storage in a fresh data directory with one bucket, `bkt`.
@discardableResult
func withStorage<T>(
    configuration: StorageConfiguration = testConfiguration(), _ body: (ObjectStorage, String) async throws -> T
) async throws -> T {
    try await withDataDirectory { directory in
        let storage = try await openTestStorage(directory: directory, configuration: configuration)
        _ = try await storage.createBucket("bkt", location: "oss-test")
        return try await body(storage, directory)
    }
}

/// A request body as the HTTP layer delivers it: a sequence of buffers, optionally failing midway.
struct TestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [ByteBuffer]
    /// Thrown instead of the chunk at `failAt`.
    var failure: TestBodyError?
    var failAt = 0

    init(_ bytes: [UInt8], pieceSize: Int = 7_000) {
        var chunks: [ByteBuffer] = []
        var index = 0
        while index < bytes.count {
            let end = Swift.min(index + pieceSize, bytes.count)
            chunks.append(ByteBuffer(bytes: bytes[index..<end]))
            index = end
        }
        self.chunks = chunks
    }

    func failing(after chunkCount: Int) -> TestBody {
        var copy = self
        copy.failure = TestBodyError.connectionReset
        copy.failAt = chunkCount
        return copy
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: TestBody
        var index = 0
        mutating func next() async throws -> ByteBuffer? {
            if let failure = body.failure, index == body.failAt { throw failure }
            guard index < body.chunks.count else { return nil }
            defer { index += 1 }
            return body.chunks[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}

enum TestBodyError: Error, Equatable {
    case connectionReset
}

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
func testBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    var bytes = [UInt8]()
    bytes.reserveCapacity(count)
    for _ in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes.append(UInt8(truncatingIfNeeded: state))
    }
    return bytes
}

/// The reference digests, computed independently of storage.
func referenceMD5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }

func referenceETag(_ bytes: [UInt8]) -> String {
    "\"" + referenceMD5(bytes).map { String(format: "%02X", $0) }.joined() + "\""
}

func referenceCRC(_ bytes: [UInt8]) -> UInt64 { CRC64.xz.checksum(bytes) }

/// Reads a body to the end, checking that no chunk exceeds `limit`.
func collect(_ body: ObjectBody, chunkLimit limit: Int = .max) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    for try await chunk in body {
        #expect(chunk.readableBytes <= limit)
        bytes += chunk.readableBytesView
    }
    return bytes
}

/// Puts `bytes` at `key` in `bkt`.
@discardableResult
func put(_ storage: ObjectStorage, _ key: String, _ bytes: [UInt8], attributes: ObjectAttributes = ObjectAttributes())
    async throws -> ObjectRecord
{
    try await storage.putObject(bucket: "bkt", key: key, body: TestBody(bytes), attributes: attributes)
}

/// Reads the whole object at `key` in `bkt`.
func read(_ storage: ObjectStorage, _ key: String, range: Range<Int>? = nil) async throws -> [UInt8] {
    try await collect(storage.openObject(bucket: "bkt", key: key).body(range: range))
}

/// The published blob files on disk: name → size.
func blobFiles(_ directory: String) throws -> [String: Int] {
    let blobs = directory + "/blobs"
    var files: [String: Int] = [:]
    for shard in try FileManager.default.contentsOfDirectory(atPath: blobs) {
        for name in try FileManager.default.contentsOfDirectory(atPath: blobs + "/" + shard) {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(blobs)/\(shard)/\(name)")
            files[name] = (attributes[.size] as? NSNumber)?.intValue ?? -1
        }
    }
    return files
}

func temporaryFiles(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp")
}

func blobPath(_ directory: String, _ blob: BlobID) -> String {
    "\(directory)/blobs/\(blob.shard)/\(blob.rawValue)"
}

/// Flips every bit of the byte at `offset` of a file, as bit rot would (worse, but detectably).
func flipByte(at offset: UInt64, ofFile path: String) throws {
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: offset)
    let original = try #require(try handle.read(upToCount: 1)?.first)
    try handle.seek(toOffset: offset)
    try handle.write(contentsOf: [~original])
}

/// Waits (bounded) for a condition that background work makes true.
func eventually(_ condition: () throws -> Bool) async throws -> Bool {
    for _ in 0..<200 {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}

/// Whether `error` is `invalidArgument`, whatever its message.
func isInvalidArgument(_ error: StorageError?) -> Bool {
    if case .invalidArgument = error { return true }
    return false
}

/// Opens the data directory again after an engine on it went out of scope: the first engine's
/// lock goes with its last reference, which work it started in the background (blob deletions)
/// may hold a moment longer on a loaded machine.
func reopenStorage(_ directory: String, configuration: StorageConfiguration = testConfiguration()) async throws -> ObjectStorage {
    for _ in 0..<250 {
        do {
            return try await openTestStorage(directory: directory, configuration: configuration)
        } catch StorageError.dataDirectoryInUse {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
    return try await openTestStorage(directory: directory, configuration: configuration)
}

extension ObjectStorage {
    /// DeleteMultipleObjects of plain keys, each deleted as its bucket's versioning says.
    func deleteObjects(bucket: String, keys: [String]) async throws(StorageError) {
        try await deleteObjects(bucket: bucket, keys.map { ObjectDeletion(key: $0) })
    }
}

/// Expects `body` to fail as unavailable (503), as writes do while an engine is down.
func expectUnavailable(_ what: String, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("\(what) succeeded with the engine down")
    } catch {
        guard case .backend(_, _, let unavailable, _) = error as? StorageError else {
            Issue.record("not a 503: \(error)")
            return
        }
        #expect(unavailable)
    }
}

/// Puts `bytes` at `key` until the engine that was down serves again (`attempts` tries, a
/// pause between them); whether it did.
func putOnceBack(_ storage: ObjectStorage, _ key: String, _ bytes: [UInt8], attempts: Int, pause: Duration) async throws -> Bool {
    for _ in 0..<attempts {
        do {
            try await put(storage, key, bytes)
            return true
        } catch {
            try await Task.sleep(for: pause)
        }
    }
    return false
}
