import Foundation
import Testing

/// ossutil's everyday commands as `oss` has them, run against a real server, with their JSON
/// output read by a parser as a script would.
@Suite("du, hash, set-meta, probe, ls/stat --output json, --version")
struct EverydayCommandTests {
    static func json(_ result: CLIRunner.Result) throws -> Any {
        try #require(result.status == 0, "\(result.standardError)")
        return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    }

    static func put(_ server: ServerProcess, _ key: String, _ data: Data, in work: URL) throws {
        let file = work.appendingPathComponent(UUID().uuidString)
        try data.write(to: file)
        let result = try server.run(["cp", "--quiet", file.path, "oss://cli/\(key)"])
        try #require(result.status == 0, "\(result.standardError)")
    }

    @Test("du counts bytes and objects per sub-prefix and storage class; ls and stat print JSON")
    func duLsStat() throws {
        try ServerProcess.withScratch { server, work in
            try Self.put(server, "logs/a", Data(count: 1000), in: work)
            try Self.put(server, "logs/b", Data(count: 2000), in: work)
            try Self.put(server, "logs/old/c", Data(count: 300), in: work)
            try Self.put(server, "top", Data(count: 5), in: work)

            let usage = try #require(try Self.json(try server.run(["du", "oss://cli", "--output", "json"])) as? [String: Any])
            #expect(usage["objects"] as? Int == 4 && usage["bytes"] as? Int == 3305)
            let prefixes = try #require(usage["prefixes"] as? [[String: Any]])
            #expect(prefixes.count == 1 && prefixes.first?["prefix"] as? String == "logs/" && prefixes.first?["bytes"] as? Int == 3300)
            #expect((usage["storageClasses"] as? [String: [String: Int]])?["Standard"] == ["objects": 4, "bytes": 3305])
            let text = try server.run(["du", "oss://cli/logs/"])
            #expect(text.standardOutput.contains("oss://cli/logs/old/") && text.standardOutput.contains("(3300 bytes)"), "\(text.standardOutput)")

            let listing = try #require(try Self.json(try server.run(["ls", "oss://cli/logs/", "--output", "json"])) as? [String: Any])
            #expect((listing["objects"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["logs/a", "logs/b"])
            #expect(listing["prefixes"] as? [String] == ["logs/old/"])
            let buckets = try #require(try Self.json(try server.run(["ls", "--output", "json"])) as? [String: [[String: Any]]])
            #expect(buckets["buckets"]?.compactMap { $0["name"] as? String } == ["cli"])

            let stat = try #require(try Self.json(try server.run(["stat", "oss://cli/logs/a", "--output", "json"])) as? [String: Any])
            #expect(stat["size"] as? Int == 1000)
            let zeros = try CLIRunner.run(["crc64"], input: Data(count: 1000))
            #expect(stat["crc64"] as? String == zeros.standardOutput.split(separator: " ").first.map(String.init), "\(stat)")
        }
    }

    @Test("hash prints the CRC-64 and MD5 of files and objects; the MD5 is md5sum's, the CRC is crc64's")
    func hash() throws {
        try ServerProcess.withScratch { server, work in
            let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            let file = work.appendingPathComponent("f.bin")
            try data.write(to: file)
            try Self.put(server, "f.bin", data, in: work)

            let rows = try #require(
                try Self.json(try server.run(["hash", file.path, "oss://cli/f.bin", "--output", "json"])) as? [[String: Any]])
            #expect(rows.count == 2)
            let md5sum = Process()
            md5sum.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            md5sum.arguments = ["md5sum", file.path]
            let pipe = Pipe()
            md5sum.standardOutput = pipe
            try md5sum.run()
            let hex = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(32)
            md5sum.waitUntilExit()
            var digest = [UInt8]()
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                digest.append(UInt8(hex[index..<next], radix: 16)!)
                index = next
            }
            let expectedMD5 = Data(digest).base64EncodedString()
            let crc = try CLIRunner.run(["crc64", file.path]).standardOutput.split(separator: " ").first.map(String.init)
            #expect(rows[0]["md5"] as? String == expectedMD5 && rows[0]["crc64"] as? String == crc && rows[0]["size"] as? Int == 100_000)
            #expect(rows[1]["md5"] as? String == expectedMD5 && rows[1]["crc64"] as? String == crc, "\(rows[1])")

            let missing = try server.run(["hash", work.appendingPathComponent("none").path, "oss://cli/none"])
            #expect(missing.status == 1)
            #expect(missing.standardError.split(separator: "\n").count == 2, "\(missing.standardError)")
        }
    }

    @Test("set-meta adds, removes and replaces metadata in place: same bytes, same CRC-64, ACL kept; --recursive")
    func setMeta() throws {
        try ServerProcess.withScratch { server, work in
            let data = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
            try Self.put(server, "docs/a", data, in: work)
            try Self.put(server, "docs/b", data, in: work)
            func stat(_ key: String) throws -> [String: Any] {
                try #require(try Self.json(try server.run(["stat", "oss://cli/\(key)", "--output", "json"])) as? [String: Any])
            }
            let before = try stat("docs/a")

            let added = try server.run(["set-meta", "oss://cli/docs/a", "--meta", "owner=alice", "--meta", "team=storage", "--content-type", "text/plain"])
            #expect(added.status == 0 && added.standardOutput.contains("CRC-64 verified"), "\(added.standardError)")
            var after = try stat("docs/a")
            #expect(after["metadata"] as? [String: String] == ["owner": "alice", "team": "storage"])
            #expect(after["contentType"] as? String == "text/plain")
            #expect(after["crc64"] as? String == before["crc64"] as? String && after["size"] as? Int == 50_000)

            #expect(try server.run(["set-meta", "oss://cli/docs/a", "--delete-meta", "team"]).status == 0)
            after = try stat("docs/a")
            #expect(after["metadata"] as? [String: String] == ["owner": "alice"] && after["contentType"] as? String == "text/plain")

            #expect(try server.run(["set-meta", "oss://cli/docs/a", "--replace", "--meta", "only=this"]).status == 0)
            after = try stat("docs/a")
            #expect(after["metadata"] as? [String: String] == ["only": "this"])
            // As OSS does, a REPLACE copy without a Content-Type keeps the object's.
            #expect(after["contentType"] as? String == "text/plain")

            let recursive = try server.run(["set-meta", "-r", "oss://cli/docs/", "--meta", "batch=1"])
            #expect(recursive.standardOutput.contains("2 objects updated"), "\(recursive.standardOutput)")
            #expect((try stat("docs/b")["metadata"] as? [String: String]) == ["batch": "1"])
            let download = work.appendingPathComponent("back")
            #expect(try server.run(["cp", "--quiet", "oss://cli/docs/b", download.path]).status == 0)
            #expect(try Data(contentsOf: download) == data)

            let bad = try server.run(["set-meta", "oss://cli/docs/a", "--meta", "no equals sign"])
            #expect(bad.status != 0 && bad.standardError.contains("expected KEY=VALUE"), "\(bad.standardError)")
        }
    }

    @Test("probe measures latency and both transfer directions, verified, and leaves nothing behind")
    func probe() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let report = try #require(
            try Self.json(try server.run(["probe", "oss://cli", "--size", "4", "--count", "5", "--output", "json"])) as? [String: Any])
        #expect(report["crcVerified"] as? Bool == true && report["requests"] as? Int == 5)
        #expect(((report["uploadBytesPerSecond"] as? Double) ?? 0) > 0 && ((report["downloadBytesPerSecond"] as? Double) ?? 0) > 0)
        #expect(((report["putLatencyMs"] as? [String: Double])?["median"] ?? 0) > 0)
        let left = try #require(try Self.json(try server.run(["ls", "-r", "oss://cli", "--output", "json"])) as? [String: Any])
        #expect((left["objects"] as? [Any])?.isEmpty == true, "\(left)")
    }

    @Test("--version names the release and the CRC kernel; usage errors show the subcommand's usage, run-time ones one line")
    func versionAndUsage() throws {
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0 && version.standardOutput.hasPrefix("oss 0.") && version.standardOutput.contains("CRC-64 kernel"))
        let usage = try CLIRunner.run(["cp", "only-one-argument"])
        #expect(usage.standardError.contains("Usage: oss cp"), "\(usage.standardError)")
        let runtime = try CLIRunner.run(
            ["ls", "oss://cli", "--data", "/nonexistent"],
            environment: ["OSS_ACCESS_KEY_ID": "", "OSS_ACCESS_KEY_SECRET": "", "HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent"])
        #expect(runtime.standardError.hasPrefix("Error: no credentials"), "\(runtime.standardError)")
        #expect(!runtime.standardError.contains("Usage: oss <subcommand>"), "\(runtime.standardError)")
    }
}
