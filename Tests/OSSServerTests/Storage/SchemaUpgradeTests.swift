import Foundation
import GRDB
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("Schema upgrades: data folders written by earlier versions open and keep their data", .sqliteOnly)
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

@Suite("Schema v9: object versions", .sqliteOnly)
struct VersionSchemaTests {
    @Test("a v8 database migrates: its objects become null versions, keep their rows and attributes, and take versions")
    func fromV8() async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: directory + "/metadata.sqlite")
            try SQLiteSchema.migrator.migrate(pool, upTo: "v8: settings of the whole store")
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO buckets (name, created_ms, acl, storage_class, location) VALUES ('old', 0, 'private', 'Standard', 'oss-test');
                        INSERT INTO objects (id, bucket, key, size, etag, crc64, last_modified_ms, object_type, content_type,
                            storage_class, acl, user_metadata, headers, tags)
                        VALUES (41, 'old', 'empty', 0, '"D41D8CD98F00B204E9800998ECF8427E"', 0, 1000, 'Normal', 'text/plain',
                            'Standard', 'default', '{"m":"1"}', '{}', '{"t":"2"}');
                        """)
                #expect(try !db.columns(in: "objects").contains { $0.name == "version_id" })
            }
            try pool.close()

            let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
            let object = try await storage.objectInfo(bucket: "old", key: "empty")
            #expect(object.versionID == nil && object.attributes.userMetadata == ["m": "1"] && object.attributes.tags == ["t": "2"])
            #expect(try await storage.listObjects(bucket: "old").objects.map(\.key) == ["empty"])
            try await storage.setVersioning("old", .enabled)
            // Once versioning is on, the object written before it is its key's null version.
            #expect(try await storage.objectInfo(bucket: "old", key: "empty").versionID == "null")
            let next = try await storage.putObject(bucket: "old", key: "empty", body: TestBody([1]))
            let nextID = try #require(next.versionID)
            #expect(try #require(ObjectVersionID.rowID(nextID)) > 41)
            let versions = try await storage.listObjectVersions(bucket: "old").versions
            #expect(versions.map(\.versionID) == [next.versionID, "null"])
        }
    }

    @Test("reads of current objects and both listings walk an index in order, without sorting")
    func queryPlans() async throws {
        try await withStorage { storage, _ in
            let store = try #require(storage.metadata as? SQLiteMetadataStore)
            let plans = try await store.read { db in
                try [
                    // The shapes fetchLatest, listObjects and listObjectVersions run.
                    "SELECT * FROM objects WHERE bucket = 'b' AND key = 'k' AND is_latest = 1",
                    "SELECT key FROM objects INDEXED BY objects_latest WHERE bucket = 'b' AND is_latest = 1 AND delete_marker = 0 AND key > 'a' ORDER BY key LIMIT 10",
                    "SELECT key FROM objects WHERE bucket = 'b' AND key > 'a' ORDER BY key, id DESC LIMIT 10",
                ].map { sql in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
                }
            }
            #expect(plans[0].contains("objects_latest"), "\(plans[0])")
            #expect(plans[1].contains("objects_latest") && !plans[1].contains("TEMP B-TREE"), "\(plans[1])")
            #expect(plans[2].contains("objects_by_version") && !plans[2].contains("TEMP B-TREE"), "\(plans[2])")
        }
    }
}

@Suite("Schema v12: users and bucket owners", .sqliteOnly)
struct UserSchemaTests {
    @Test("a v11 database migrates: its buckets and its account's Block Public Access become the first user's")
    func fromV11() async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: directory + "/metadata.sqlite")
            try SQLiteSchema.migrator.migrate(pool, upTo: "v11: bucket configuration documents")
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO buckets (name, created_ms, acl, storage_class, location) VALUES ('old', 0, 'private', 'Standard', 'oss-test');
                        INSERT INTO settings (name, value) VALUES ('account.block-public-access', 'true');
                        """)
            }
            try pool.close()

            let (ownerID, bobID) = try await { () async throws -> (String, String) in
                let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
                #expect(storage.owner.name == "owner" && storage.owner.id.count == 16)
                #expect(try await storage.bucket("old").owner == storage.owner.id)
                #expect(try await storage.accountBlocksPublicAccess(user: storage.owner.id))
                #expect(try await storage.identities.users().map(\.name) == ["owner"])
                let (bob, _) = try await storage.identities.addUser(named: "bob")
                #expect(try await !storage.accountBlocksPublicAccess(user: bob.id))
                _ = try await storage.createBucket("bobs", owner: bob.id, location: "oss-test")
                return (storage.owner.id, bob.id)
            }()

            // The first user stays the first user, and every bucket keeps its owner.
            let reopened = try await reopenStorage(directory)
            #expect(reopened.owner.id == ownerID)
            #expect(try await reopened.bucket("old").owner == ownerID)
            #expect(try await reopened.bucket("bobs").owner == bobID)
            #expect(try await reopened.listBuckets(BucketListQuery(owner: bobID)).buckets.map(\.name) == ["bobs"])
        }
    }

    @Test("the database is readable by its owner only, WAL and shared-memory files included")
    func databaseFileModes() async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // A store made before the rule, world-readable.
            FileManager.default.createFile(atPath: directory + "/metadata.sqlite", contents: nil, attributes: [.posixPermissions: 0o644])
            let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
            _ = try await storage.identities.addUser(named: "bob")
            for name in ["metadata.sqlite", "metadata.sqlite-wal", "metadata.sqlite-shm"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
            }
        }
    }
}
