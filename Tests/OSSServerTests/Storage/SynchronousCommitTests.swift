import Foundation
import GRDB
import Testing

@testable import OSSServer

@Suite("Metadata commits are synced: the writer connection runs with synchronous = FULL")
struct SynchronousCommitTests {
    /// GRDB's WAL set-up lowers `synchronous` to NORMAL after `prepareDatabase` has run, so the
    /// setting must be checked where commits happen, not where it is written.
    @Test("the writer connection's effective PRAGMA synchronous is FULL (2) in WAL mode")
    func writerIsFull() async throws {
        try await withDataDirectory { directory in
            do {
                let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
                let store = try #require(storage.metadata as? SQLiteMetadataStore)
                let level = try await store.pool.writeWithoutTransaction { db in
                    try Int.fetchOne(db, sql: "PRAGMA synchronous")
                }
                #expect(level == 2)
                let mode = try await store.pool.writeWithoutTransaction { db in
                    try String.fetchOne(db, sql: "PRAGMA journal_mode")
                }
                #expect(mode == "wal")
            }
        }
    }
}
