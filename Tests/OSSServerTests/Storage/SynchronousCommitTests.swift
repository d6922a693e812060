import Foundation
import GRDB
import Testing

@testable import OSSServer

@Suite("Metadata commits are synced: the writer connection runs with synchronous = FULL", .sqliteOnly)
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

    /// Debian's SQLite is built with secure_delete on, which writes every page a delete frees
    /// again; the store asks for FAST (2) on the connection that deletes.
    @Test("the writer connection's effective PRAGMA secure_delete is FAST (2)")
    func writerDeletesWithoutRewritingFreedPages() async throws {
        try await withDataDirectory { directory in
            let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
            let store = try #require(storage.metadata as? SQLiteMetadataStore)
            let level = try await store.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA secure_delete")
            }
            #expect(level == 2)
        }
    }
}
