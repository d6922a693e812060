import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `oss mb`, `rb`, `rm`, `cat` and `presign` against a real `oss serve` in another process.
@Suite(.serialized) struct ObjectCommandTests {
    @Test func bucketLifecycleCatPresignAndRemove() async throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let bytes = ClientCommandTests.randomBytes(300_000, seed: 11)
        let file = work.appendingPathComponent("a.bin")
        try Data(bytes).write(to: file)

        #expect(try server.run(["mb", "oss://made"]).status == 0)
        #expect(try server.run(["ls"]).standardOutput.contains("oss://made/"))
        for key in ["d/a.bin", "d/e/b.bin", "keep.bin"] {
            let copied = try server.run(["cp", "--quiet", file.path, "oss://made/\(key)"])
            #expect(copied.status == 0, "\(copied.standardError)")
        }

        // cat: the exact bytes on standard output.
        let cat = try CLIRunner.runCapturingData(["cat", "oss://made/d/a.bin", "--endpoint", server.endpoint], environment: server.environment)
        #expect(cat.status == 0, "\(cat.standardError)")
        #expect(Array(cat.standardOutput) == bytes)

        // presign: plain HTTP with no credentials can read it until it expires.
        let presigned = try server.run(["presign", "oss://made/d/a.bin", "--expires", "120"])
        #expect(presigned.status == 0, "\(presigned.standardError)")
        let url = try #require(URL(string: presigned.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
        let (data, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(Array(data) == bytes)
        let put = try server.run(["presign", "--method", "PUT", "--content-type", "text/plain", "oss://made/up.txt"])
        #expect(put.standardError.contains("Content-Type: text/plain"))
        // The printed curl line works as printed.
        let plain = try server.run(["presign", "--method", "PUT", "oss://made/curl.txt"])
        let curlLine = try #require(plain.standardError.split(separator: "\n").first { $0.hasPrefix("upload with: curl -T FILE '") })
        let presignedPut = String(curlLine.dropFirst("upload with: curl -T FILE '".count).dropLast())
        let uploaded = try CLIRunner.temporaryDirectory().appendingPathComponent("curl.txt")
        try Data("sent by curl".utf8).write(to: uploaded)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sf", "-T", uploaded.path, presignedPut]
        try curl.run()
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)
        let sent = try CLIRunner.runCapturingData(["cat", "oss://made/curl.txt", "--endpoint", server.endpoint], environment: server.environment)
        #expect(String(decoding: sent.standardOutput, as: UTF8.self) == "sent by curl")
        #expect(try server.run(["rm", "oss://made/curl.txt"]).status == 0)

        // A bucket with objects cannot be removed; rm -r empties a prefix, then the bucket.
        let notEmpty = try server.run(["rb", "oss://made"])
        #expect(notEmpty.status != 0)
        #expect(notEmpty.standardError.contains("oss://made/ is not empty: delete its objects with 'oss rm --recursive oss://made/'"),
            "\(notEmpty.standardError)")
        // Deleting is idempotent: a missing key succeeds, saying nothing was there.
        let missing = try server.run(["rm", "oss://made/nope"])
        #expect(missing.status == 0, "\(missing.standardError)")
        #expect(missing.standardOutput.contains("nothing to delete: oss://made/nope does not exist"), "\(missing.standardOutput)")
        #expect(try server.run(["rm", "oss://no-such-bucket-here/nope"]).status != 0)
        let prefix = try server.run(["rm", "--recursive", "oss://made/d/"])
        #expect(prefix.standardOutput.contains("deleted 2 objects under oss://made/d/"), "\(prefix.standardOutput)")
        #expect(try server.run(["stat", "oss://made/keep.bin"]).status == 0)
        let single = try server.run(["rm", "oss://made/keep.bin"])
        #expect(single.standardOutput.contains("deleted oss://made/keep.bin"))
        #expect(try server.run(["stat", "oss://made/keep.bin"]).status != 0)
        let bare = try server.run(["rm", "oss://made/"])
        #expect(bare.status != 0)
        #expect(bare.standardError.contains("--recursive"))
        #expect(try server.run(["rb", "oss://made"]).status == 0)
        #expect(!(try server.run(["ls"]).standardOutput.contains("oss://made/")))
    }
}
