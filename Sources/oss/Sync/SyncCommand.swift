import ArgumentParser
import Foundation
import OSSClient
import Synchronization

/// `oss sync SRC DST`: makes DST hold what SRC holds, deciding by CRC-64 what to transfer.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Make a prefix or folder hold what another holds, comparing contents by CRC-64.",
        discussion: """
            SRC and DST are a local folder or oss://bucket/prefix (local to bucket, bucket to \
            local, bucket to bucket). A file is copied when DST lacks it, its size differs, or \
            its CRC-64 differs from the object's: contents are compared, not modification \
            times, so a file rewritten with the same size and date is still copied, and a file \
            merely touched is not. Local CRC-64s are computed at memory speed and remembered \
            (in $XDG_CACHE_HOME/oss/sync, by default ~/.cache/oss/sync) by size, times and \
            inode, so a re-run reads only changed files; objects' come from the server. Every \
            copy is verified end to end as 'oss cp' verifies it.

            Exit status: 0 when every file is in sync, 1 when any failed (each is reported and \
            the rest go on), 130 when interrupted (finished files stay; run again to go on).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Delete files in DST that SRC does not have (among the files the filters select).")
    var delete = false

    @Flag(help: "Say what would be copied and deleted; change nothing.")
    var dryRun = false

    @Flag(help: "Treat files of equal size as identical without comparing CRC-64s.")
    var sizeOnly = false

    @Option(help: ArgumentHelp("Leave out paths matching this glob (relative to SRC; * matches / too). Repeatable.", valueName: "GLOB"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("Bring back excluded paths matching this glob. Repeatable.", valueName: "GLOB"))
    var include: [String] = []

    @OptionGroup var transfer: TransferOptions

    @Option(help: "text, or json (the summary and every action as one document, for scripts).")
    var output: OutputFormat = .text

    @Argument(help: "A local folder or oss://bucket/prefix to copy from.")
    var source: String

    @Argument(help: "A local folder or oss://bucket/prefix to copy to.")
    var destination: String

    func validate() throws {
        let (from, to) = (SyncSide(source), SyncSide(destination))
        if from.isLocal, to.isLocal {
            throw ValidationError("one of SRC and DST must be an oss://bucket/prefix; for local folders use rsync")
        }
        if case .remote(let bucket, let prefix) = from, case .remote(let other, let otherPrefix) = to, bucket == other,
            prefix.hasPrefix(otherPrefix) || otherPrefix.hasPrefix(prefix)
        {
            throw ValidationError("'\(source)' and '\(destination)' overlap; sync between prefixes that do not contain each other")
        }
    }

    func run() async throws {
        let settings = SyncSettings(
            filter: SyncFilter(includes: include, excludes: exclude), delete: delete, dryRun: dryRun, sizeOnly: sizeOnly,
            jobs: transfer.jobs ?? 8, partSize: transfer.partBytes, checkpoints: transfer.checkpoints, quiet: transfer.quiet,
            printsLines: output == .text && !transfer.quiet)
        let (from, to, connection, output) = (SyncSide(source), SyncSide(destination), connection, output)
        let started = ContinuousClock.now
        let running = Mutex<SyncRun?>(nil)
        let summary = try await Interruption.run(
            message: {
                let done = running.withLock { $0 }?.result ?? SyncSummary()
                return "interrupted after \(done.copied) copied, \(done.identical) identical; "
                    + "run the same command again to go on (finished files are skipped as identical)"
            }
        ) {
            try await withClient(connection) { client in
                let run = SyncRun(
                    source: from, destination: to, settings: settings, client: client, cacheFolder: UserFolders().syncCache)
                running.withLock { $0 = run }
                return try await run.run()
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        switch output {
        case .text:
            print(Self.line(summary, dryRun: dryRun, seconds: seconds))
        case .json:
            try printJSON(Self.json(summary, dryRun: dryRun, seconds: seconds))
        }
        if !summary.failures.isEmpty { throw ExitCode.failure }
    }

    static func line(_ summary: SyncSummary, dryRun: Bool, seconds: Double) -> String {
        let would = dryRun ? "would be " : ""
        var parts = [
            "\(summary.copied) \(would)copied (\(ProgressLine.bytes(summary.copiedBytes)))",
            "\(summary.identical) identical",
        ]
        if summary.skipped > 0 { parts.append("\(summary.skipped) skipped by size") }
        parts.append("\(summary.deleted) \(would)deleted")
        parts.append("\(summary.failures.count) failed")
        var line = "sync: " + parts.joined(separator: ", ") + String(format: " in %.1f s", seconds)
        if summary.unverified > 0 { line += "; \(summary.unverified) copies CRC-64 UNVERIFIED" }
        return line
    }

    static func json(_ summary: SyncSummary, dryRun: Bool, seconds: Double) -> [String: Any] {
        [
            "dryRun": dryRun, "copied": summary.copied, "copiedBytes": summary.copiedBytes,
            "identical": summary.identical, "skipped": summary.skipped, "deleted": summary.deleted,
            "failed": summary.failures.count, "unverified": summary.unverified, "seconds": seconds,
            "failures": summary.failures.map { ["path": $0.path, "error": $0.error] },
            "actions": summary.actions.map { ["action": $0.action, "path": $0.path, "bytes": $0.bytes] as [String: Any] },
        ]
    }
}
