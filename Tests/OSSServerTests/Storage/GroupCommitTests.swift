import Foundation
import GRDB
import NIOConcurrencyHelpers
import Testing

@testable import OSSServer

/// Group commit: concurrent writes share transactions, and each still stands or falls alone.
@Suite("Group commit", .sqliteOnly)
struct GroupCommitTests {
    /// Counts the commits of a database.
    final class CommitCounter: TransactionObserver, @unchecked Sendable {
        let commits = NIOLockedValueBox(0)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLockedValue { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    static func withPool(_ body: (DatabasePool) async throws -> Void) async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: directory + "/test.sqlite")
            try await pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
            try await body(pool)
        }
    }

    @Test("writes that arrive while one commits share the next commit")
    func concurrentWritesShareCommits() async throws {
        try await Self.withPool { pool in
            let counter = CommitCounter()
            pool.add(transactionObserver: counter, extent: .databaseLifetime)
            let group = GroupCommit(pool: pool)
            let started = NIOLockedValueBox(false)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                // The first write holds the writer while the others queue behind it.
                tasks.addTask {
                    try await group.write { db in
                        started.withLockedValue { $0 = true }
                        Thread.sleep(forTimeInterval: 0.3)
                        try db.execute(sql: "INSERT INTO t VALUES (0)")
                    }
                }
                while !started.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                for n in 1..<64 {
                    tasks.addTask { try await group.write { db in try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [n]) } }
                }
                try await tasks.waitForAll()
            }
            #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 64)
            let commits = counter.commits.withLockedValue { $0 }
            #expect(commits >= 2 && commits <= 4, "64 writes in \(commits) commits")
        }
    }

    @Test("a write that throws is rolled back alone; the others in its transaction commit")
    func failuresStayAlone() async throws {
        struct Refused: Error {}
        try await Self.withPool { pool in
            let group = GroupCommit(pool: pool)
            let started = NIOLockedValueBox(false)
            let results = try await withThrowingTaskGroup(of: (Int, Bool).self) { tasks in
                tasks.addTask {
                    try await group.write { db in
                        started.withLockedValue { $0 = true }
                        Thread.sleep(forTimeInterval: 0.2)
                        try db.execute(sql: "INSERT INTO t VALUES (100)")
                    }
                    return (100, true)
                }
                while !started.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                for n in 1...10 {
                    tasks.addTask {
                        do {
                            try await group.write { db in
                                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [n])
                                if n % 3 == 0 { throw Refused() }
                            }
                            return (n, true)
                        } catch is Refused {
                            return (n, false)
                        }
                    }
                }
                return try await tasks.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(results.filter { !$0.value }.keys.sorted() == [3, 6, 9])
            let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
            #expect(stored == [1, 2, 4, 5, 7, 8, 10, 100])
        }
    }

    @Test("a write waits for another connection's transaction (oss admin beside the server) instead of failing")
    func writesWaitForOtherWriters() async throws {
        try await withStorage { storage, directory in
            let other = try DatabaseQueue(path: directory + "/metadata.sqlite")
            let holding = NIOLockedValueBox(false)
            let holder = Task.detached {
                try other.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    holding.withLockedValue { $0 = true }
                    Thread.sleep(forTimeInterval: 0.5)
                    try db.execute(sql: "COMMIT")
                }
            }
            while !holding.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            // Without waiting, SQLite would refuse this write at once (SQLITE_BUSY).
            _ = try await storage.createBucket("while-locked", location: "oss-test")
            try await holder.value
            #expect(try await storage.bucket("while-locked").name == "while-locked")
        }
    }
}
