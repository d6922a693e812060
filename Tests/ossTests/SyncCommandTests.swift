import Foundation
import Testing

/// `oss sync` run as a user runs it, against a real server: decisions by CRC-64, not by dates.
@Suite("oss sync compares contents by CRC-64")
struct SyncCommandTests {
    /// A folder of files of several sizes (one above the multipart threshold) under nested folders.
    static func makeTree(at root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for index in 0..<12 {
            files["docs/\(index).txt"] = Data((0..<(index * 997 + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
        }
        files["photos/2026/big.raw"] = KilledTransferTests.content(mebibytes: 17)
        files["photos/2026/thumb.jpg"] = Data(repeating: 7, count: 4096)
        files["notes.md"] = Data("# notes\n".utf8)
        for (path, data) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return files
    }

    /// Runs `oss sync … --output json` and returns its parsed summary.
    static func sync(_ server: ServerProcess, _ arguments: [String], status: Int32 = 0) throws -> [String: Any] {
        let result = try server.run(["sync", "--output", "json"] + arguments)
        #expect(result.status == status, "\(result.standardError)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(parsed as? [String: Any], "\(result.standardOutput)")
    }

    static func count(_ summary: [String: Any], _ field: String) -> Int? { summary[field] as? Int }

    static func copiedPaths(_ summary: [String: Any]) -> [String] {
        ((summary["actions"] as? [[String: Any]]) ?? []).filter { $0["action"] as? String == "copy" }
            .compactMap { $0["path"] as? String }.sorted()
    }

    @Test("up, unchanged, rewritten with the same size and date, deleted with --delete, and down again")
    func roundTrip() throws {
        try ServerProcess.withScratch { server, work in
            let tree = work.appendingPathComponent("tree")
            var files = try Self.makeTree(at: tree)

            let first = try Self.sync(server, [tree.path, "oss://cli/backup"])
            #expect(Self.count(first, "copied") == files.count && Self.count(first, "identical") == 0)
            #expect(Self.count(first, "copiedBytes") == files.values.reduce(0) { $0 + $1.count })

            let again = try Self.sync(server, [tree.path, "oss://cli/backup/"])
            #expect(Self.count(again, "copied") == 0 && Self.count(again, "identical") == files.count, "\(again)")

            // Same size, same modification time, one byte different: only a content comparison sees it.
            let changed = tree.appendingPathComponent("docs/5.txt")
            let modified = try FileManager.default.attributesOfItem(atPath: changed.path)[.modificationDate] as! Date
            var bytes = files["docs/5.txt"]!
            bytes[bytes.count / 2] ^= 0x40
            try bytes.write(to: changed)
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: changed.path)
            files["docs/5.txt"] = bytes
            try FileManager.default.removeItem(at: tree.appendingPathComponent("notes.md"))
            files["notes.md"] = nil

            let dry = try Self.sync(server, [tree.path, "oss://cli/backup", "--delete", "--dry-run"])
            #expect(Self.copiedPaths(dry) == ["docs/5.txt"] && Self.count(dry, "deleted") == 1, "\(dry)")
            #expect(try server.run(["stat", "oss://cli/backup/notes.md"]).status == 0, "--dry-run deleted an object")
            let unchangedByDryRun = try CLIRunner.runCapturingData(
                ["cat", "oss://cli/backup/docs/5.txt", "--endpoint", server.endpoint], environment: server.environment)
            #expect(unchangedByDryRun.standardOutput.count == bytes.count)
            #expect(unchangedByDryRun.standardOutput != bytes, "--dry-run copied a file")

            let third = try Self.sync(server, [tree.path, "oss://cli/backup", "--delete"])
            #expect(Self.copiedPaths(third) == ["docs/5.txt"], "\(third)")
            #expect(Self.count(third, "deleted") == 1 && Self.count(third, "identical") == files.count - 1)
            #expect(try server.run(["stat", "oss://cli/backup/notes.md"]).status != 0, "--delete left the object")

            // Down into a fresh folder, then again: identical.
            let down = work.appendingPathComponent("down")
            let fetched = try Self.sync(server, ["oss://cli/backup", down.path])
            #expect(Self.count(fetched, "copied") == files.count)
            for (path, data) in files {
                #expect(try Data(contentsOf: down.appendingPathComponent(path)) == data, "\(path)")
            }
            #expect(Self.count(try Self.sync(server, ["oss://cli/backup", down.path]), "identical") == files.count)

            // Bucket to bucket, server-side.
            let copied = try Self.sync(server, ["oss://cli/backup", "oss://cli/mirror"])
            #expect(Self.count(copied, "copied") == files.count)
            #expect(Self.count(try Self.sync(server, ["oss://cli/backup", "oss://cli/mirror"]), "identical") == files.count)
        }
    }

    @Test("--exclude and --include select paths; --size-only skips equal sizes without comparing")
    func filtersAndSizeOnly() throws {
        try ServerProcess.withScratch { server, work in
            let tree = work.appendingPathComponent("tree")
            let files = try Self.makeTree(at: tree)

            let docs = try Self.sync(server, [tree.path, "oss://cli/f", "--exclude", "*", "--include", "docs/*"])
            #expect(Self.copiedPaths(docs) == files.keys.filter { $0.hasPrefix("docs/") }.sorted())
            let noPhotos = try Self.sync(server, [tree.path, "oss://cli/f", "--exclude", "photos/*"])
            #expect(Self.copiedPaths(noPhotos) == ["notes.md"])

            try Data("# NOTES\n".utf8).write(to: tree.appendingPathComponent("notes.md"))
            let sizeOnly = try Self.sync(server, [tree.path, "oss://cli/f", "--exclude", "photos/*", "--size-only"])
            #expect(Self.count(sizeOnly, "copied") == 0 && Self.count(sizeOnly, "skipped") == 13, "\(sizeOnly)")
            let compared = try Self.sync(server, [tree.path, "oss://cli/f", "--exclude", "photos/*"])
            #expect(Self.copiedPaths(compared) == ["notes.md"])
        }
    }

    @Test("a re-run takes local CRC-64s from the cache instead of reading the files")
    func cacheIsUsed() throws {
        try ServerProcess.withScratch { server, work in
            let tree = work.appendingPathComponent("tree")
            let files = try Self.makeTree(at: tree)
            let cacheHome = work.appendingPathComponent("cache")
            let environment = ["XDG_CACHE_HOME": cacheHome.path]
            let first = try server.run(["sync", "-q", tree.path, "oss://cli/c"], extraEnvironment: environment)
            #expect(first.status == 0, "\(first.standardError)")

            // Every CRC in the cache made wrong: a run that trusts the cache sees every file as
            // changed; one that read the files would find them identical.
            let folder = cacheHome.appendingPathComponent("oss/sync")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".json") })
            let cacheFile = folder.appendingPathComponent(name)
            var cache = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: cacheFile)) as? [String: Any])
            var entries = try #require(cache["files"] as? [String: [String: Any]])
            #expect(entries.count == files.count)
            for path in entries.keys { entries[path]?["crc"] = 1 }
            cache["files"] = entries
            try JSONSerialization.data(withJSONObject: cache).write(to: cacheFile)

            let second = try Self.sync(server, [tree.path, "oss://cli/c"], status: 0)
            #expect(Self.count(second, "copied") == 0, "another cache folder than the test's was used")
            let trusted = try server.run(["sync", "--output", "json", tree.path, "oss://cli/c"], extraEnvironment: environment)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(trusted.standardOutput.utf8)) as? [String: Any])
            #expect(Self.count(parsed, "copied") == files.count, "the cache was not used: \(parsed)")
        }
    }

    @Test("a missing local source is an error, never an empty tree: --delete leaves the prefix alone")
    func missingSource() throws {
        try ServerProcess.withScratch { server, work in
            let tree = work.appendingPathComponent("tree")
            let files = try Self.makeTree(at: tree)
            _ = try Self.sync(server, [tree.path, "oss://cli/kept"])
            let typo = try server.run(["sync", work.appendingPathComponent("tre").path, "oss://cli/kept", "--delete"])
            #expect(typo.status != 0 && typo.standardError.contains("no such folder"), "\(typo.standardError)")
            let left = try Self.sync(server, [tree.path, "oss://cli/kept"])
            #expect(Self.count(left, "identical") == files.count, "\(left)")
        }
    }

    @Test("usage errors name the problem")
    func usageErrors() throws {
        let local = try CLIRunner.run(["sync", "/tmp", "/var/tmp"])
        #expect(local.status != 0 && local.standardError.contains("for local folders use rsync"), "\(local.standardError)")
        let overlap = try CLIRunner.run(["sync", "oss://b/x/", "oss://b/x/y"])
        #expect(overlap.status != 0 && overlap.standardError.contains("overlap"), "\(overlap.standardError)")
    }
}
