import Foundation
import HTTPTypes
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import Testing

@testable import OSSServer

/// Several nodes on one PostgreSQL schema and one blob store (a blob folder they share): what
/// one writes, the others read at once, and writers racing on one key, one append position or
/// one upload end as one writer would have them.
@Suite(
    "PostgreSQL metadata: several nodes, one truth", .serialized,
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.missing)))
struct PostgresClusterTests {
    /// `count` storages over one fresh schema of the shared cluster and one blob folder, each
    /// with a data folder of its own, as separate servers would be; bucket `bkt` exists.
    static func withNodes(
        _ count: Int, server: PostgresServer? = nil, settings: OSSMetadataBackend.Postgres? = nil,
        deadline: Duration = .seconds(60), configuration: StorageConfiguration = testConfiguration(),
        _ body: ([ObjectStorage], String) async throws -> Void
    ) async throws {
        var settings = if let settings { settings } else if let server { server.backend() } else {
            try await PostgresServer.sharedServer().backend()
        }
        settings.deadline = deadline
        try await withDataDirectory { root in
            let blobs = FileBlobStore(root: root + "/shared")
            try FileManager.default.createDirectory(atPath: root + "/shared", withIntermediateDirectories: true)
            try blobs.prepare()
            var nodes: [ObjectStorage] = []
            for index in 0..<count {
                nodes.append(
                    try await ObjectStorage.open(
                        directory: root + "/node\(index)", configuration: configuration, metadata: .postgres(settings),
                        blobStore: blobs))
            }
            _ = try await nodes[0].createBucket("bkt", location: "oss-test")
            try await body(nodes, root + "/shared")
        }
    }

    @Test("PostgreSQL is installed where the engines are required (CI)", .enabled(if: SeaweedFSServer.required))
    func installed() {
        #expect(PostgresServer.isAvailable, "\(PostgresServer.missing)")
    }

    @Test("what one node writes, another reads and lists at once; bucket settings too, with no cache in between")
    func readAfterWrite() async throws {
        try await Self.withNodes(2) { nodes, _ in
            let (a, b) = (nodes[0], nodes[1])
            let bytes = testBytes(300_000, seed: 7)
            try await put(a, "k", bytes)
            #expect(try await read(b, "k") == bytes)
            #expect(try await b.listObjects(bucket: "bkt").objects.map(\.key) == ["k"])
            _ = try await b.bucketACL("bkt")  // read once on b: a cache would now hold it
            _ = try await a.putBucketACL("bkt", acl: .publicRead)
            #expect(try await b.bucketACL("bkt") == .publicRead)
            try await b.deleteObject(bucket: "bkt", key: "k")
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "k")) { _ = try await a.objectInfo(bucket: "bkt", key: "k") }
        }
    }

    @Test("listings are in byte order whatever the database's collation, prefixes ending in any code point")
    func byteOrder() async throws {
        try await Self.withNodes(1) { nodes, _ in
            let storage = nodes[0]
            // U+00BF is C2 BF in UTF-8: the next byte string, C2 C0, is no text at all.
            let keys = ["B", "a", "b/1", "b0", "\u{BF}x", "\u{BF}y", "\u{C0}", "\u{7F}", "é", "z", "~", "\u{10FFFF}"]
            for key in keys { try await put(storage, key, [1]) }
            let listed = try await storage.listObjects(bucket: "bkt").objects.map(\.key)
            #expect(listed == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(try await storage.listObjects(bucket: "bkt", query: ObjectListQuery(prefix: "\u{BF}")).objects.map(\.key)
                == ["\u{BF}x", "\u{BF}y"])
            let rolled = try await storage.listObjects(bucket: "bkt", query: ObjectListQuery(delimiter: "/", maxKeys: 2))
            #expect(rolled.objects.map(\.key) == ["B", "a"])
            let next = try await storage.listObjects(
                bucket: "bkt", query: ObjectListQuery(delimiter: "/", marker: rolled.nextMarker, maxKeys: 2))
            #expect(next.commonPrefixes == ["b/"])
            #expect(next.objects.map(\.key) == ["b0"])
            // A marker with NUL, which no key holds, still resumes in order.
            #expect(try await storage.listObjects(bucket: "bkt", query: ObjectListQuery(marker: "b\u{0}")).objects.first?.key == "b/1")
        }
    }

    @Test("the same key written from three nodes at once: one whole version stands, and no blob is left behind")
    func racingPuts() async throws {
        try await Self.withNodes(3) { nodes, shared in
            let versions = (0..<9).map { testBytes(100_000 + $0, seed: UInt64($0)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, bytes) in versions.enumerated() {
                    group.addTask { try await put(nodes[index % 3], "hot", bytes) }
                }
                try await group.waitForAll()
            }
            let stored = try await read(nodes[1], "hot")
            #expect(versions.contains(stored))
            let current = try await nodes[2].objectInfo(bucket: "bkt", key: "hot")
            #expect(try await eventually { try blobFiles(shared).keys.sorted() == [current.segments[0].blob.rawValue] })
        }
    }

    @Test("appends racing on two nodes: exactly one succeeds per position")
    func racingAppends() async throws {
        try await Self.withNodes(2) { nodes, _ in
            var expected: [UInt8] = []
            for round in 0..<5 {
                let position = expected.count
                let pieces = [testBytes(1000, seed: UInt64(2 * round)), testBytes(1000, seed: UInt64(2 * round + 1))]
                let winners = try await withThrowingTaskGroup(of: Int?.self) { group in
                    for index in 0..<2 {
                        group.addTask {
                            do {
                                _ = try await nodes[index].appendObject(
                                    bucket: "bkt", key: "log", position: position, body: TestBody(pieces[index]))
                                return index
                            } catch StorageError.positionNotEqualToLength {
                                return nil
                            }
                        }
                    }
                    return try await group.reduce(into: [Int]()) { winners, winner in if let winner { winners.append(winner) } }
                }
                #expect(winners.count == 1)
                expected += pieces[winners[0]]
            }
            #expect(try await read(nodes[0], "log") == expected)
            #expect(try await nodes[1].objectInfo(bucket: "bkt", key: "log").crc64 == referenceCRC(expected))
        }
    }

    @Test("the same upload completed on two nodes: one completes it, the other finds it gone")
    func racingCompletes() async throws {
        try await Self.withNodes(2) { nodes, _ in
            let upload = try await nodes[0].initiateMultipartUpload(bucket: "bkt", key: "big")
            let bytes = [testBytes(102_400, seed: 1), testBytes(5_000, seed: 2)]
            var completed: [CompletedPart] = []
            for (index, part) in bytes.enumerated() {
                let record = try await nodes[index].uploadPart(
                    bucket: "bkt", key: "big", uploadID: upload.uploadID, partNumber: index + 1, body: TestBody(part))
                completed.append(CompletedPart(partNumber: record.partNumber, etag: record.etag))
            }
            let parts = completed
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for node in nodes {
                    group.addTask {
                        do {
                            _ = try await node.completeMultipartUpload(
                                bucket: "bkt", key: "big", uploadID: upload.uploadID, parts: .listed(parts))
                            return true
                        } catch {
                            #expect(error as? StorageError == .noSuchUpload(bucket: "bkt", key: "big", uploadID: upload.uploadID))
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await read(nodes[1], "big") == bytes[0] + bytes[1])
        }
    }

    @Test("blob references stay exact under racing overwrites, copies, deletes, part uploads and a complete on two nodes")
    func racingReferences() async throws {
        try await Self.withNodes(2) { nodes, shared in
            let keys = ["a", "b", "c"]
            for key in keys { try await put(nodes[0], key, testBytes(70_000, seed: 1)) }
            let upload = try await nodes[1].initiateMultipartUpload(bucket: "bkt", key: "m")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        for step in 0..<30 {
                            let node = nodes[(worker + step) % 2]
                            let (key, other) = (keys.randomElement()!, keys.randomElement()!)
                            do {
                                switch (worker, step, Int.random(in: 0..<4)) {
                                case (0, 15, _):
                                    _ = try await node.completeMultipartUpload(bucket: "bkt", key: "m", uploadID: upload.uploadID, parts: .all)
                                case (_, _, 0):
                                    try await put(node, key, testBytes(70_000 + step, seed: UInt64(worker * 100 + step)))
                                case (_, _, 1):
                                    _ = try await node.copyObject(sourceBucket: "bkt", sourceKey: other, destinationBucket: "bkt", destinationKey: key)
                                case (_, _, 2):
                                    _ = try await node.deleteObject(bucket: "bkt", key: key)
                                default:
                                    _ = try await node.uploadPart(
                                        bucket: "bkt", key: "m", uploadID: upload.uploadID, partNumber: 1,
                                        body: TestBody(testBytes(70_000, seed: UInt64(step))))
                                }
                            } catch StorageError.noSuchKey, StorageError.noSuchUpload {
                                // A copy of a deleted source, a part after the complete.
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Every object left reads whole: no blob it uses was deleted.
            for key in keys + ["m"] {
                guard let object = try? await nodes[0].objectInfo(bucket: "bkt", key: key) else { continue }
                #expect(try await read(nodes[1], key).count == object.size)
            }
            let store = try #require(nodes[0].metadata as? PostgresMetadataStore)
            let accounting = try await store.statement { db in
                let queuedInUse = try await db.value(
                    """
                    SELECT count(*) FROM blob_deletions
                    WHERE blob IN (SELECT blob FROM segments) OR blob IN (SELECT blob FROM parts)
                    """, as: Int.self)
                let known = try await db.rows(
                    """
                    SELECT blob FROM segments UNION SELECT blob FROM parts
                    UNION SELECT blob FROM blob_deletions UNION SELECT blob FROM pending_blobs
                    """
                ).map { try $0("blob", as: String.self) }
                return (queuedInUse, Set(known))
            }
            #expect(accounting.0 == 0, "blobs in use are queued for deletion")
            // Every blob on disk is in use, queued, or still being written: none leaked.
            let files = Set(try blobFiles(shared).keys)
            #expect(files.subtracting(accounting.1).isEmpty, "leaked blobs: \(files.subtracting(accounting.1))")
        }
    }

    @Test("a GET streaming on one node finishes whole while another node deletes the object")
    func deleteDuringRead() async throws {
        try await Self.withNodes(2) { nodes, _ in
            let bytes = testBytes(2_000_000, seed: 9)
            try await put(nodes[0], "k", bytes)
            let opened = try await nodes[1].openObject(bucket: "bkt", key: "k")
            var received: [UInt8] = []
            var deleted = false
            for try await chunk in try opened.body(range: nil) {
                received += chunk.readableBytesView
                if !deleted {
                    try await nodes[0].deleteObject(bucket: "bkt", key: "k")
                    deleted = true
                }
            }
            #expect(received == bytes)
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "k")) { _ = try await nodes[1].objectInfo(bucket: "bkt", key: "k") }
        }
    }

    /// A blob as a server leaves it when it dies mid-write: `published` ones between publishing
    /// and committing, the others while receiving.
    static func abandonedBlob(_ storage: ObjectStorage, published: Bool) async throws -> BlobID {
        let writer = try await storage.blobs.create()
        try await writer.write(ByteBuffer(bytes: testBytes(5000)), at: 0, durable: true)
        if published { try await writer.publish() }
        return writer.blob
    }

    static func exists(_ blob: BlobID, in shared: String) -> Bool {
        FileManager.default.fileExists(atPath: blobPath(shared, blob))
            || FileManager.default.fileExists(atPath: shared + "/tmp/" + blob.rawValue)
    }

    @Test("the blobs a node was writing when it died are kept while it lives, and collected once its lease ran out")
    func leakedBlobsCollected() async throws {
        try await Self.withNodes(2) { nodes, shared in
            let (dead, alive) = (nodes[0], nodes[1])
            let blobs = [try await Self.abandonedBlob(dead, published: true), try await Self.abandonedBlob(dead, published: false)]
            #expect(blobs.allSatisfy { Self.exists($0, in: shared) })
            #expect(try await alive.collectGarbage() == 0)
            #expect(blobs.allSatisfy { Self.exists($0, in: shared) })
            // A minute later, the dying node silent since: its lease has run out.
            let later = Date().addingTimeInterval(dead.configuration.nodeLease.timeInterval + 5)
            #expect(try await alive.collectGarbage(now: later) == 2)
            #expect(blobs.allSatisfy { !Self.exists($0, in: shared) })
        }
    }

    @Test("a node whose blob was collected while it was silent cannot commit it: the write fails, nothing refers to missing bytes")
    func collectedBlobCannotCommit() async throws {
        try await Self.withNodes(2) { nodes, _ in
            let blob = try await Self.abandonedBlob(nodes[0], published: true)
            let later = Date().addingTimeInterval(nodes[0].configuration.nodeLease.timeInterval + 5)
            #expect(try await nodes[1].collectGarbage(now: later) == 1)
            let bytes = testBytes(5000)
            let record = ObjectRecord(
                bucket: "bkt", key: "late", size: bytes.count, etag: referenceETag(bytes), crc64: referenceCRC(bytes),
                lastModified: Date(), type: .normal, attributes: ObjectAttributes(),
                segments: [BlobSegment(blob: blob, size: bytes.count, crc64: referenceCRC(bytes))])
            do {
                _ = try await nodes[0].metadata.putObject(record, forbidOverwrite: false)
                Issue.record("a blob collected as leaked was committed")
            } catch {
                guard case .backend(_, _, let unavailable, _) = error as? StorageError else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(unavailable)
            }
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "late")) { _ = try await nodes[1].objectInfo(bucket: "bkt", key: "late") }
        }
    }

    @Test("released blobs stay through the grace period (for reads on other nodes), then one pass deletes them")
    func deletionGrace() async throws {
        var configuration = testConfiguration()
        configuration.deletionGrace = .seconds(60)
        try await Self.withNodes(2, configuration: configuration) { nodes, shared in
            let first = try await put(nodes[0], "k", testBytes(100_000, seed: 1))
            let second = try await put(nodes[1], "k", testBytes(100_000, seed: 2))
            let (old, current) = (first.segments[0].blob, second.segments[0].blob)
            #expect(try await nodes[0].collectGarbage() == 0)
            #expect(Self.exists(old, in: shared))
            #expect(try await nodes[0].collectGarbage(now: Date().addingTimeInterval(61)) == 1)
            #expect(!Self.exists(old, in: shared))
            #expect(Self.exists(current, in: shared))
            #expect(try await read(nodes[0], "k") == testBytes(100_000, seed: 2))
        }
    }

    @Test("one node collects at a time: another one's pass is skipped while the collector lock is held")
    func oneCollector() async throws {
        try await Self.withNodes(2) { nodes, _ in
            let store = try #require(nodes[0].metadata as? PostgresMetadataStore)
            try await store.transactions.client.withConnection { connection in
                try await connection.query(PostgresTransactions.tryLock("blob-collector"), logger: store.transactions.logger)
                #expect(try await nodes[1].collectGarbage() == nil)
                try await connection.query("SELECT pg_advisory_unlock_all()", logger: store.transactions.logger)
            }
            #expect(try await nodes[1].collectGarbage() == 0)
        }
    }

    @Test("a database that stops answers 503 within a bounded time, and once it is back the service resumes with nothing lost")
    func databaseRestart() async throws {
        let server = try await PostgresServer()
        defer { server.destroy() }
        try await Self.withNodes(1, server: server, deadline: .seconds(1)) { nodes, _ in
            let storage = nodes[0]
            let (before, after) = (testBytes(200_000, seed: 1), testBytes(200_000, seed: 2))
            try await put(storage, "before", before)
            try await server.stop()
            let started = ContinuousClock.now
            await expectUnavailable("a write") { try await put(storage, "during", testBytes(1000)) }
            // A liveness bound, not a speed claim: without one, a request would hang.
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(await AdminRouter(storage: storage, token: nil).readiness().status == .serviceUnavailable)
            try await server.start()
            #expect(try await putOnceBack(storage, "after", after, attempts: 100, pause: .milliseconds(200)))
            #expect(await AdminRouter(storage: storage, token: nil).readiness().status == .ok)
            #expect(try await read(storage, "before") == before)
            #expect(try await read(storage, "after") == after)
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "during")) {
                _ = try await storage.objectInfo(bucket: "bkt", key: "during")
            }
        }
    }

    @Test("a streaming standby promoted after the primary crashed takes over: nodes given both servers move to it, and every write acknowledged before the crash is there")
    func failover() async throws {
        let primary = try await PostgresServer()
        defer { primary.destroy() }
        let standby = try await PostgresServer(standbyOf: primary)
        defer { standby.destroy() }
        // Commits wait for the standby: what a node acknowledged, the standby has.
        try await primary.psql("ALTER SYSTEM SET synchronous_standby_names = '*'")
        try await primary.psql("SELECT pg_reload_conf()")
        let settings = try OSSMetadataBackend.Postgres(
            url: "postgres://postgres@127.0.0.1:\(primary.port),127.0.0.1:\(standby.port)/postgres?schema=failover&sslmode=disable")
        try await Self.withNodes(2, settings: settings, deadline: .seconds(2)) { nodes, _ in
            let acknowledged = NIOLockedValueBox<[String: [UInt8]]>([:])
            let crashed = NIOLockedValueBox(false)
            // A liveness bound, not a speed claim: without one, a failover that never happens hangs.
            let giveUp = ContinuousClock.now + .seconds(120)
            let writers = Task {
                var afterCrash = 0
                var index = 0
                while afterCrash < 20, ContinuousClock.now < giveUp {
                    index += 1
                    let (key, bytes) = ("k\(index)", testBytes(index % 3 == 0 ? 100_000 : 2_000, seed: UInt64(index)))
                    let wasCrashed = crashed.withLockedValue { $0 }
                    do {
                        try await put(nodes[index % 2], key, bytes)
                        acknowledged.withLockedValue { $0[key] = bytes }
                        if wasCrashed { afterCrash += 1 }
                    } catch {
                        // Between the crash and the promotion: 503s, nothing else.
                        guard case .backend(_, _, let unavailable, _) = error as? StorageError, unavailable else {
                            Issue.record("not a 503 during the failover: \(error)")
                            return afterCrash
                        }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                }
                return afterCrash
            }
            while acknowledged.withLockedValue({ $0.count }) < 30, ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await primary.crash()
            crashed.withLockedValue { $0 = true }
            try await Task.sleep(for: .milliseconds(500))
            try await standby.promote()
            #expect(await writers.value == 20, "writes did not resume on the promoted standby")
            let written = acknowledged.withLockedValue { $0 }
            #expect(written.count >= 50)
            let listed = Set(try await nodes[0].listObjects(bucket: "bkt", query: ObjectListQuery(maxKeys: 1000)).objects.map(\.key))
            #expect(Set(written.keys).isSubset(of: listed))
            // More may be listed: a write whose commit landed as the primary died answered 503
            // (outcome unknown). Never a key nobody wrote.
            #expect(listed.allSatisfy { $0.hasPrefix("k") })
            for (key, bytes) in written {
                #expect(try await read(nodes[1], key) == bytes, "\(key) lost in the failover")
            }
        }
    }

    @Test("a transaction that has had no answer for the answer limit is given up: 503, outcome unknown, its connection closed")
    func noAnswer() async throws {
        var settings = try await PostgresServer.sharedServer().backend()
        settings.answerLimit = .seconds(1)
        let store = try await PostgresMetadataStore.open(settings, logger: Logger(label: "test"))
        let started = ContinuousClock.now
        do {
            // A write the server keeps busy far longer than the limit, as a connection that is
            // never answered again would.
            try await store.write(locking: ["slow"]) { db in try await db.execute("SELECT pg_sleep(30)") }
            Issue.record("a transaction past the answer limit succeeded")
        } catch {
            guard case .backend(let operation, let detail, let unavailable, let retriable) = error else {
                Issue.record("not a 503: \(error)")
                return
            }
            #expect(unavailable && !retriable && operation == "metadata commit")
            #expect(detail.contains("no answer within 1.0 seconds") && detail.contains("may or may not have been committed"))
        }
        // A liveness bound: the statement alone would take 30 s.
        #expect(ContinuousClock.now - started < .seconds(20))
        // The store goes on (once the pool has replaced the closed connection; a bound, not a
        // speed claim: the tests run in parallel on two cores).
        var answered = false
        for _ in 0..<30 where !answered {
            answered = (try? await store.statement { db in try await db.value("SELECT 1", as: Int.self) }) == 1
        }
        #expect(answered)
    }

    @Test("one node scrubs at a time: another node's live lease holds a pass back; once it lapsed, the pass runs and frees it")
    func scrubLease() async throws {
        try await Self.withNodes(1) { nodes, _ in
            let storage = nodes[0]
            try await put(storage, "k", testBytes(100_000))
            let later = MetadataCoding.milliseconds(Date().addingTimeInterval(60))
            try await storage.metadata.setSetting(ScrubService.leaseSetting, to: "another-node|\(later)")
            let control = ScrubControl()
            let service = ScrubService(
                storage: storage, interval: nil, bytesPerSecond: 1_000_000_000, control: control, metrics: nil,
                logger: Logger(label: "test"))
            let running = Task { try await service.run() }
            defer { running.cancel() }
            #expect(control.request())
            // The service takes a request within a second; three leave it room to misbehave.
            try await Task.sleep(for: .seconds(3))
            #expect(control.current.lastFinished == nil, "a pass ran under another node's lease")
            let lapsed = MetadataCoding.milliseconds(Date()) - 1
            try await storage.metadata.setSetting(ScrubService.leaseSetting, to: "another-node|\(lapsed)")
            #expect(control.request())
            // A liveness bound, not a speed claim.
            let giveUp = ContinuousClock.now + .seconds(60)
            while control.current.lastFinished == nil, ContinuousClock.now < giveUp { try await Task.sleep(for: .milliseconds(50)) }
            #expect(control.current.lastFinished != nil)
            #expect(control.current.blobs == 1)
            #expect(try await storage.metadata.setting(ScrubService.leaseSetting) == nil)
        }
    }

    @Test("the answer limit runs from the last answer: a transaction of many answered statements may last longer")
    func longTransactionsThatAreAnswered() async throws {
        var settings = try await PostgresServer.sharedServer().backend()
        settings.answerLimit = .seconds(1)
        let store = try await PostgresMetadataStore.open(settings, logger: Logger(label: "test"))
        let started = ContinuousClock.now
        // Twelve statements of a quarter of a second: three times the limit in all (a lifecycle
        // pass that expires a thousand objects in one transaction is such a transaction).
        let answers = try await store.write(locking: ["long"]) { db in
            var answers = 0
            for _ in 0..<12 { answers += try await db.execute("SELECT pg_sleep(0.25)") }
            return answers
        }
        #expect(answers == 12)
        #expect(ContinuousClock.now - started >= .seconds(3))
    }

    @Test("a PostgreSQL server that would not keep commits durable (synchronous_commit off) is refused at start")
    func refusesAsynchronousCommit() async throws {
        let server = try await PostgresServer.sharedServer()
        let database = "nosync_" + UUID().uuidString.prefix(8).lowercased()
        try await Self.withNodes(1, server: server) { nodes, _ in
            let store = try #require(nodes[0].metadata as? PostgresMetadataStore)
            try await store.transactions.client.withConnection { connection in
                // Not in a transaction: CREATE DATABASE refuses to run in one.
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"), logger: store.transactions.logger)
                try await connection.query(
                    PostgresQuery(unsafeSQL: "ALTER DATABASE \(database) SET synchronous_commit = off"), logger: store.transactions.logger)
            }
        }
        let settings = try OSSMetadataBackend.Postgres(url: "postgres://postgres@127.0.0.1:\(server.port)/\(database)?sslmode=disable")
        do {
            _ = try await PostgresMetadataStore.open(settings, logger: Logger(label: "test"))
            Issue.record("a server with synchronous_commit off was accepted")
        } catch {
            guard case .metadata(let detail) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(detail.contains("synchronous_commit"))
        }
    }
}
