import Foundation
import GRDB
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("Schema upgrades: data folders written by earlier versions open and keep their data")
struct SchemaUpgradeTests {
    @Test("a v1 database (before CORS rules) migrates, keeps its buckets and takes CORS rules")
    func fromV1() async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: directory + "/metadata.sqlite")
            try SQLiteSchema.migrator.migrate(pool, upTo: "v1: buckets, objects, segments, uploads, parts")
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO buckets (name, created_ms, acl, storage_class, location) VALUES ('old', 0, 'public-read', 'Standard', 'oss-test')")
                #expect(try !db.columns(in: "buckets").contains { $0.name == "cors" })
            }
            try pool.close()

            let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
            let bucket = try await storage.bucket("old")
            #expect(bucket.acl == .publicRead)
            #expect(bucket.cors == nil)
            // Later columns take their defaults: LRS, Block Public Access off.
            #expect(bucket.dataRedundancy == .locallyRedundant && !bucket.blocksPublicAccess)
            try await storage.setBlockPublicAccess("old", true)
            #expect(try await storage.bucket("old").blocksPublicAccess)
            try await storage.setBucketCORS("old", cors: "<CORSConfiguration/>")
            #expect(try await storage.bucket("old").cors == "<CORSConfiguration/>")
        }
    }
}
