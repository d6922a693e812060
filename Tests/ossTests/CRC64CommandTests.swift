import Foundation
import Testing

/// `oss crc64` driven as a user would: a real process, real files.
@Suite struct CRC64CommandTests {
    let directory: URL

    init() throws { directory = try CLIRunner.temporaryDirectory() }

    func file(_ name: String, _ contents: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    @Test func printsDecimalLikeTheOSSHeader() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try file("check.txt", "123456789")
        let result = try CLIRunner.run(["crc64", path])
        #expect(result.status == 0)
        #expect(result.standardOutput == "11051210869376104954  \(path)\n")
    }

    @Test func hexAndNVME() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try file("check.txt", "123456789")
        #expect(try CLIRunner.run(["crc64", "--hex", path]).standardOutput == "995dc9bbdf1939fa  \(path)\n")
        #expect(try CLIRunner.run(["crc64", "--nvme", "--hex", path]).standardOutput == "ae8b14860a799888  \(path)\n")
        let empty = try file("empty", "")
        #expect(try CLIRunner.run(["crc64", "--hex", empty]).standardOutput == "0000000000000000  \(empty)\n")
    }

    /// What `aws s3api head-object --checksum-mode ENABLED` shows as ChecksumCRC64NVME: base64 of
    /// the big-endian bytes of 0xae8b14860a799888.
    @Test func base64AsS3ShowsIt() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try file("check.txt", "123456789")
        #expect(try CLIRunner.run(["crc64", "--nvme", "--base64", path]).standardOutput == "rosUhgp5mIg=  \(path)\n")
        let list = try file("list", "rosUhgp5mIg=  \(path)\n")
        let checked = try CLIRunner.run(["crc64", "--nvme", "--base64", "--check", list])
        #expect(checked.status == 0 && checked.standardOutput == "\(path): OK\n")
        let both = try CLIRunner.run(["crc64", "--hex", "--base64", path])
        #expect(both.status != 0 && both.standardError.contains("choose one"))
    }

    @Test func readsStandardInput() throws {
        let result = try CLIRunner.run(["crc64", "-"], input: Data("hello, oss".utf8))
        #expect(result.standardOutput == "11726769516912404153  -\n")
        let implicit = try CLIRunner.run(["crc64"], input: Data("a".utf8))
        #expect(implicit.standardOutput == "3675645893302102789  -\n")
    }

    @Test func missingFileIsReportedAndOthersStillProcessed() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try file("good", "a")
        let missing = directory.appendingPathComponent("missing").path
        let result = try CLIRunner.run(["crc64", missing, good])
        #expect(result.status != 0)
        #expect(result.standardOutput == "3675645893302102789  \(good)\n")
        #expect(result.standardError == "oss crc64: \(missing): No such file or directory\n")
        let directoryResult = try CLIRunner.run(["crc64", directory.path])
        #expect(directoryResult.status != 0)
        #expect(directoryResult.standardError.contains("Is a directory"))
    }

    @Test func checkListReportsOKAndFailed() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try file("good", "123456789")
        let bad = try file("bad", "123456780")
        let list = try file("list", "11051210869376104954  \(good)\n11051210869376104954  \(bad)\n")
        let result = try CLIRunner.run(["crc64", "--check", list])
        #expect(result.status != 0)
        #expect(result.standardOutput.contains("\(good): OK"))
        #expect(result.standardOutput.contains("\(bad): FAILED"))
        let onlyGood = try file("list2", "995dc9bbdf1939fa  \(good)\n")
        let ok = try CLIRunner.run(["crc64", "--hex", "--check", onlyGood])
        #expect(ok.status == 0)
        #expect(ok.standardOutput == "\(good): OK\n")
    }

    @Test func everyKernelGivesTheSameAnswerOnALargeFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // Larger than the parallel threshold, so it is split across cores and combined.
        let url = directory.appendingPathComponent("large")
        var bytes = [UInt8](repeating: 0, count: 65 << 20 + 12_345)
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in stride(from: 0, to: bytes.count, by: 8) {
            x ^= x >> 12; x ^= x << 25; x ^= x >> 27
            bytes[i] = UInt8(truncatingIfNeeded: x &* 0x2545_F491_4F6C_DD1D)
        }
        try Data(bytes).write(to: url)
        let sequential = try CLIRunner.run(["crc64", "-"], input: Data(bytes))
        let expected = sequential.standardOutput.split(separator: " ").first.map(String.init)
        #expect(expected != nil)
        let kernels = try CLIRunner.run(["kernels"]).standardOutput.split(separator: "\n").map { String($0.dropFirst(2)) }
        #expect(kernels.contains("portable"))
        for kernel in kernels {
            let result = try CLIRunner.run(["crc64", "--kernel", kernel, url.path])
            #expect(result.standardOutput == "\(expected ?? "")  \(url.path)\n", "kernel \(kernel)")
        }
    }

    @Test func unknownKernelIsAOneLineError() throws {
        let result = try CLIRunner.run(["crc64", "--kernel", "sse9", "-"], input: Data())
        #expect(result.status != 0)
        #expect(result.standardError.contains("unknown or unsupported kernel 'sse9'"))
    }
}
