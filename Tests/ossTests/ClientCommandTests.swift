import CRC64
import Foundation
import Testing

/// `oss cp`, `ls`, `stat` and `verify` against a real `oss serve` in another process.
@Suite(.serialized) struct ClientCommandTests {
    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed
        return (0..<count).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
    }

    /// The value of `Name:` in `oss stat` output.
    static func field(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    /// The damage lies past the first MiB a response checks before its status line, so the server
    /// cuts the 8 MiB range mid-stream; verify must still call it damage, not a network failure.
    @Test func verifyReportsDamageAtRestAsDamage() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let local = work.appendingPathComponent("rot.bin")
        try Data(Self.randomBytes(3 << 20, seed: 11)).write(to: local)
        let upload = try server.run(["cp", "--quiet", "--part-size", "8", local.path, "oss://cli/rot.bin"])
        #expect(upload.status == 0, "\(upload.standardError)")

        let blobs = server.dataDirectory.appendingPathComponent("blobs")
        let files = try FileManager.default.subpathsOfDirectory(atPath: blobs.path).filter { $0.count == 35 }
        try #require(files.count == 1)
        let handle = try FileHandle(forUpdating: blobs.appendingPathComponent(files[0]))
        try handle.seek(toOffset: 2_500_000)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 2_500_000)
        try handle.write(contentsOf: [~byte])
        try handle.close()

        let verify = try server.run(["verify", "oss://cli/rot.bin"])
        #expect(verify.status == 1)
        #expect(verify.standardError.contains("MISMATCH"), "\(verify.standardError)")
        #expect(verify.standardError.contains("failed its CRC-64 check"), "\(verify.standardError)")
        #expect(verify.standardError.contains("2490368-2555903"), "\(verify.standardError)")
        #expect(!verify.standardError.contains("Transport"), "\(verify.standardError)")
    }

    @Test func uploadListStatVerifyDownloadAndCopy() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }

        // Larger than the uploader's multipart threshold, so parts and the combined CRC are used.
        let bytes = Self.randomBytes(20 << 20 | 12_345, seed: 7)
        let expected = String(CRC64.xz.checksum(bytes))
        let local = work.appendingPathComponent("big.bin")
        try Data(bytes).write(to: local)

        let upload = try server.run(["cp", "--quiet", "--part-size", "5", local.path, "oss://cli/dir/"])
        #expect(upload.status == 0, "\(upload.standardError)")
        #expect(upload.standardOutput.contains("oss://cli/dir/big.bin"))
        #expect(upload.standardOutput.contains("CRC-64 verified (\(expected))"))

        let list = try server.run(["ls", "oss://cli/"])
        #expect(list.standardOutput.contains("DIR  oss://cli/dir/"))
        let recursive = try server.run(["ls", "--recursive", "oss://cli/"])
        #expect(recursive.standardOutput.contains("\(bytes.count)  oss://cli/dir/big.bin"))
        #expect(try server.run(["ls"]).standardOutput.contains("oss://cli/"))

        let stat = try server.run(["stat", "oss://cli/dir/big.bin"])
        #expect(Self.field("CRC-64", in: stat.standardOutput) == expected)
        #expect(Self.field("Size", in: stat.standardOutput) == String(bytes.count))

        let verifyRemote = try server.run(["verify", "--part-size", "3", "oss://cli/dir/big.bin"])
        #expect(verifyRemote.status == 0, "\(verifyRemote.standardError)")
        #expect(verifyRemote.standardOutput.contains("OK"))
        #expect(try server.run(["verify", "oss://cli/dir/big.bin", local.path]).status == 0)
        // An S3-style CRC-64/NVME (base64 of the big-endian bytes), read and checked both ways.
        let nvme = CRC64.nvme.checksum(bytes)
        let shown = Data((0..<8).reversed().map { UInt8(truncatingIfNeeded: nvme >> (8 * $0)) }).base64EncodedString()
        let nvmeRemote = try server.run(["verify", "--part-size", "3", "--crc64nvme", shown, "oss://cli/dir/big.bin"])
        #expect(nvmeRemote.status == 0 && nvmeRemote.standardOutput.contains("CRC-64/NVME \(shown)"), "\(nvmeRemote.standardError)")
        #expect(try server.run(["verify", "--crc64nvme", shown, "oss://cli/dir/big.bin", local.path]).status == 0)
        let wrongNVME = try server.run(["verify", "--crc64nvme", "AAAAAAAAAAA=", "oss://cli/dir/big.bin"])
        #expect(wrongNVME.status == 1 && wrongNVME.standardError.contains("MISMATCH: CRC-64/NVME"), "\(wrongNVME.standardError)")

        var changed = bytes
        changed[1_000_000] ^= 1
        let other = work.appendingPathComponent("other.bin")
        try Data(changed).write(to: other)
        let mismatch = try server.run(["verify", "oss://cli/dir/big.bin", other.path])
        #expect(mismatch.status != 0)
        #expect(mismatch.standardError.contains("MISMATCH"))

        let downloaded = work.appendingPathComponent("down.bin")
        let download = try server.run(["cp", "--quiet", "--part-size", "4", "oss://cli/dir/big.bin", downloaded.path])
        #expect(download.status == 0, "\(download.standardError)")
        #expect(download.standardOutput.contains("CRC-64 verified (\(expected))"))
        #expect(try Data(contentsOf: downloaded) == Data(bytes))

        let copy = try server.run(["cp", "--quiet", "oss://cli/dir/big.bin", "oss://cli/copy.bin"])
        #expect(copy.status == 0, "\(copy.standardError)")
        #expect(Self.field("CRC-64", in: try server.run(["stat", "oss://cli/copy.bin"]).standardOutput) == expected)
    }

    @Test func errorsAreOneLineMessages() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let missing = try server.run(["stat", "oss://cli/nope"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("NoSuchKey"))
        let badPath = try server.run(["stat", "cli/nope"])
        #expect(badPath.status != 0)
        #expect(badPath.standardError.contains("is not an oss://bucket/key path"))
        let local = try server.run(["cp", "/nonexistent/file", "oss://cli/x"])
        #expect(local.status != 0)
        #expect(local.standardError.contains("/nonexistent/file"))
        let wrongSecret = try server.run(["ls", "oss://cli/"], extraEnvironment: ["OSS_ACCESS_KEY_SECRET": "wrong"])
        #expect(wrongSecret.status != 0)
        #expect(wrongSecret.standardError.contains("SignatureDoesNotMatch"))
        let badACL = try server.run(["mb", "--acl", "public", "oss://never-made"])
        #expect(badACL.status != 0)
        #expect(
            badACL.standardError.contains("--acl must be one of private, public-read, public-read-write, not 'public'"),
            "\(badACL.standardError)")
        #expect(try server.run(["ls", "oss://never-made/"]).standardError.contains("NoSuchBucket"))
    }

    @Test func temporaryCredentialsFromAnSTSFile() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let broken = work.appendingPathComponent("broken.json")
        try Data(#"[{"AccessKeyId":"STS.x"}]"#.utf8).write(to: broken)
        for path in [broken.path, work.appendingPathComponent("missing.json").path] {
            let refused = try CLIRunner.run(["serve", "--data", work.path, "--address", "127.0.0.1:0", "--sts-credentials", path])
            #expect(refused.status != 0)
            #expect(refused.standardError.contains("--sts-credentials \(path)"), "\(refused.standardError)")
            #expect(refused.standardError.split(separator: "\n").count <= 2, "\(refused.standardError)")
        }
        // The client commands send OSS_SESSION_TOKEN with the key pair: a permanent key with a
        // token is refused, which proves the token went out.
        let server = try ServerProcess()
        defer { server.stop() }
        let stray = try server.run(["ls", "oss://cli/"], extraEnvironment: ["OSS_SESSION_TOKEN": "stray"])
        #expect(stray.status != 0)
        #expect(stray.standardError.contains("InvalidSecurityToken"), "\(stray.standardError)")
    }
}
