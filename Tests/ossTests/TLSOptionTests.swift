import Foundation
import Testing

@Suite("oss serve TLS options")
struct TLSOptionTests {
    @Test("TLS options that cannot work are refused at start with one line, before the data folder is created")
    func refusedOptions() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data").path
        let keyOnly = try CLIRunner.run(["serve", "--data", data, "--tls-key", "/nonexistent.key"])
        #expect(keyOnly.status != 0)
        #expect(keyOnly.standardError.contains("--tls-key needs --tls-certificate FILE"))
        let certificateOnly = try CLIRunner.run(["serve", "--data", data, "--tls-certificate", "/nonexistent.pem"])
        #expect(certificateOnly.status != 0)
        #expect(certificateOnly.standardError.contains("--tls-certificate needs --tls-key FILE"))
        let garbage = work.appendingPathComponent("garbage.pem")
        try Data("not a certificate\n".utf8).write(to: garbage)
        let unreadable = try CLIRunner.run([
            "serve", "--data", data, "--address", "127.0.0.1:0", "--tls-certificate", garbage.path, "--tls-key", garbage.path,
        ])
        #expect(unreadable.status != 0)
        let lines = unreadable.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(unreadable.standardError)")
        #expect(unreadable.standardError.contains("--tls-certificate \(garbage.path): no PEM certificate can be read from it"))
        #expect(!FileManager.default.fileExists(atPath: data), "the data folder was created before the TLS files were checked")
    }
}
