import ArgumentParser
import Foundation
import OSSServer

/// `oss scrub`: re-reads every stored blob of a stopped server's data folder and checks it
/// against the CRC-64 recorded when it was written; damaged objects are marked (the server then
/// refuses to serve them) and listed.
struct ScrubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Check every stored blob of a stopped server's data folder against its recorded CRC-64.",
        discussion: """
            Objects whose bytes are missing, short or changed are marked damaged: the server refuses \
            GET, HEAD and copies of them until they are uploaded again, or until --forget clears the \
            mark of a key whose bytes were restored by hand. A pass that was stopped goes on where it \
            stopped. Exits with status 1 when any object is marked damaged. A running server scrubs \
            in the background (oss serve --scrub-interval); POST /scrub on its admin listener starts \
            a pass now.
            """)

    @Option(help: ArgumentHelp("The server's data folder.", valueName: "DIR"))
    var data = "oss-data"

    @Option(help: ArgumentHelp("Read at most this many megabytes (10^6 bytes) per second; as fast as the disk by default.", valueName: "MB/S"))
    var rate: Double?

    @Option(help: ArgumentHelp("Clear the damage mark of every version of this key instead of scrubbing.", valueName: "BUCKET/KEY"))
    var forget: String?

    func validate() throws {
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a positive number of MB/s, e.g. --rate 100") }
        if let forget, forget.split(separator: "/", maxSplits: 1).count != 2 {
            throw ValidationError("--forget takes BUCKET/KEY, e.g. --forget photos/cat.jpg")
        }
    }

    func run() async throws {
        let scrubber: OSSScrubber
        do {
            scrubber = try await OSSScrubber.open(dataDirectory: URL(fileURLWithPath: data, isDirectory: true))
        } catch let failure as OSSScrubber.Failure {
            throw CommandFailure(failure.description)
        }
        if let forget {
            let parts = forget.split(separator: "/", maxSplits: 1).map(String.init)
            let cleared = try await scrubber.forget(bucket: parts[0], key: parts[1])
            print(cleared == 0 ? "\(forget) was not marked damaged" : "cleared the damage mark of \(cleared) version(s) of \(forget)")
            return
        }
        let bar = ProgressBar(label: "scrub", total: try await scrubber.bytesToRead())
        let started = ContinuousClock.now
        let outcome: OSSScrubber.Outcome
        do {
            outcome = try await scrubber.run(bytesPerSecond: rate.map { Int($0 * 1_000_000) }) { bar.update(done: $0) }
        } catch let failure as OSSScrubber.Failure {
            bar.finish()
            throw CommandFailure(failure.description)
        }
        bar.finish()
        let elapsed = ContinuousClock.now - started
        print("checked \(outcome.blobs) blobs, \(ProgressLine.bytes(Int64(outcome.bytes))) in \(String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)) s")
        print("found damaged by this pass: \(outcome.newlyDamaged.count)")
        guard !outcome.damaged.isEmpty else {
            print("no object is marked damaged")
            return
        }
        print("marked damaged (upload them again, or restore their bytes and run oss scrub --forget BUCKET/KEY; a part, upload it again):")
        let rows = [["BUCKET", "KEY", "VERSION", "PROBLEM"]]
            + outcome.damaged.map { [$0.bucket, $0.key, $0.versionID, $0.reason] }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print((0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3])
        }
        throw ExitCode.failure
    }
}
