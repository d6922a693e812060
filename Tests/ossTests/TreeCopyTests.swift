import Foundation
import Testing

@testable import oss

/// `oss cp --recursive` between a folder and a prefix, against a real `oss serve`.
@Suite(.serialized) struct TreeCopyTests {
    @Test func folderUpAndBackDown() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let tree = work.appendingPathComponent("tree")
        let files: [(String, [UInt8])] = [
            ("a.txt", Array("hello".utf8)),
            ("sub/b.bin", ClientCommandTests.randomBytes(300_000, seed: 21)),
            ("sub/deeper/c with space.bin", []),
        ]
        for (path, bytes) in files {
            let url = tree.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("empty"), withIntermediateDirectories: true)

        let up = try server.run(["cp", "--recursive", "--quiet", tree.path, "oss://cli/backup/"])
        #expect(up.status == 0, "\(up.standardError)")
        #expect(up.standardOutput.contains("3 files, 300005 bytes: CRC-64 verified for every file"), "\(up.standardOutput)")
        let listed = try server.run(["ls", "--recursive", "oss://cli/backup/"]).standardOutput
        for (path, _) in files { #expect(listed.contains("oss://cli/backup/\(path)"), "\(listed)") }

        let restored = work.appendingPathComponent("restored")
        let down = try server.run(["cp", "-r", "--quiet", "oss://cli/backup/", restored.path])
        #expect(down.status == 0, "\(down.standardError)")
        #expect(down.standardOutput.contains("3 files, 300005 bytes: CRC-64 verified for every file"), "\(down.standardOutput)")
        for (path, bytes) in files {
            #expect(try Data(contentsOf: restored.appendingPathComponent(path)) == Data(bytes), "\(path)")
        }

        let notFolder = try server.run(["cp", "-r", tree.appendingPathComponent("a.txt").path, "oss://cli/x/"])
        #expect(notFolder.status != 0)
        #expect(notFolder.standardError.contains("not a folder"))
    }

    @Test func keysNeverLeaveTheDestinationFolder() {
        #expect(CopyCommand.safeComponents("a/b c/d.bin") == ["a", "b c", "d.bin"])
        #expect(CopyCommand.safeComponents("dir/") == ["dir"])
        #expect(CopyCommand.safeComponents("") == [])
        for hostile in ["../x", "a/../../x", "a/./b", "a//b", "/abs", "..", "a/.."] {
            #expect(CopyCommand.safeComponents(hostile) == nil, "\(hostile)")
        }
    }
}
