import Foundation
import Testing

@Suite("oss serve start-up errors")
struct ServeStartupTests {
    @Test("an address in use is refused in one line naming it and the fix, before the data folder is created")
    func addressInUse() throws {
        // A listener holds the port for the whole test.
        let listener = try LoopbackSocket(listening: true)
        defer { listener.close() }
        let port = listener.port
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data").path
        let result = try CLIRunner.run(["serve", "--address", "127.0.0.1:\(port)", "--data", data])
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines == ["Error: cannot listen on 127.0.0.1:\(port): the address is in use (another server?); choose another with --address, e.g. --address 127.0.0.1:0 for a free port"],
            "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: data), "the data folder was created for a server that could not listen")
    }
}
