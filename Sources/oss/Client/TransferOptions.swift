import ArgumentParser
import Foundation

/// How transfers run: the options `cp` and `sync` share.
struct TransferOptions: ParsableArguments {
    @Option(
        name: [.customLong("jobs"), .customShort("j"), .customLong("parallel")],
        help: "Transfers in flight at once: parts of a file for cp, files for cp --recursive and sync (default 4 for cp, 8 for cp --recursive and sync).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Part size in MiB for multipart transfers.", valueName: "MIB"))
    var partSize = 8

    @Option(help: ArgumentHelp(
        "Keep resumable-transfer checkpoints here (default: $XDG_STATE_HOME/oss/checkpoints or ~/.local/state/oss/checkpoints).",
        valueName: "DIR"))
    var checkpointDir: String?

    @Flag(help: "Keep no checkpoint: an interrupted transfer is discarded (its unfinished upload aborted, its partial file removed).")
    var noCheckpoint = false

    @Flag(name: .shortAndLong, help: "No progress display (sync: and no per-file lines).")
    var quiet = false

    func validate() throws {
        guard (jobs ?? 1) >= 1, (1...5120).contains(partSize) else {
            throw ValidationError("--jobs must be at least 1 and --part-size between 1 and 5120 MiB")
        }
        if noCheckpoint, checkpointDir != nil {
            throw ValidationError("--no-checkpoint and --checkpoint-dir contradict each other; give one")
        }
    }

    /// Transfers from this size on keep a checkpoint: below it, one request (or a few) is cheaper
    /// to repeat than a partial file or an unfinished upload is to leave behind.
    static let checkpointThreshold: Int64 = 16 << 20

    /// Where checkpoints go: `nil` under `--no-checkpoint`.
    var checkpoints: URL? {
        if noCheckpoint { return nil }
        return checkpointDir.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? UserFolders().checkpoints
    }

    var partBytes: Int64 { Int64(partSize) << 20 }
}
