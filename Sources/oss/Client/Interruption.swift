import ArgumentParser
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT (Ctrl-C) and SIGTERM during a transfer.
///
/// The default action of both signals ends the process where it stands: a download's partial
/// file stays behind and an unfinished multipart upload stays on the server, billed and
/// invisible. Instead, the first signal cancels the transfer's task, so that the transfer code
/// cleans up exactly as for any other failure (a checkpointed transfer keeps its verified parts
/// for the next run; any other removes its temporary file and aborts its upload); the command
/// then says what was left and exits with 130, as shells expect of an interrupted command. A
/// second signal ends the process at once, for a user who will not wait for the clean-up.
enum Interruption {
    /// The status of a command stopped by a signal (128 + SIGINT), whichever of the two it was.
    static let exitStatus: Int32 = 130

    /// Runs `body`; when a signal stopped it, prints `message()` (what was left behind and how to
    /// resume) on standard error and exits with ``exitStatus``.
    static func run<T: Sendable>(
        message: @escaping @Sendable () -> String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let received = Mutex<Int32?>(nil)
        let task = Task { try await body() }
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let first = received.withLock { received in
                    defer { received = received ?? number }
                    return received == nil
                }
                guard first else { _exit(exitStatus) }
                FileHandle.standardError.write(Data("\ninterrupted: stopping the transfer cleanly (again to quit at once)\n".utf8))
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        do {
            return try await task.value
        } catch {
            guard received.withLock({ $0 }) != nil else { throw error }
            FileHandle.standardError.write(Data((message() + "\n").utf8))
            throw ExitCode(exitStatus)
        }
    }

    /// What an interrupted transfer says: resumable when its checkpoint is on disk, else that it
    /// left nothing behind.
    /// - Parameters:
    ///   - kept: what the checkpoint keeps, as a plural noun phrase.
    ///   - discard: the command that discards what was kept, when there is one.
    static func message(checkpoint: URL?, kept: String, discard: String? = nil) -> String {
        guard let checkpoint, FileManager.default.fileExists(atPath: checkpoint.path) else {
            return "interrupted: nothing was left behind"
        }
        let discarding = discard.map { ", or '\($0)' to discard them" } ?? ""
        return "interrupted: \(kept) are kept; run the same command again to resume\(discarding) (checkpoint \(checkpoint.path))"
    }
}
