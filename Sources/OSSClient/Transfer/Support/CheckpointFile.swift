import CRC64
import Foundation
import NIOConcurrencyHelpers

/// A transfer's progress on disk as JSON, replaced atomically (write and rename) after every
/// finished part, so that a process killed at any moment leaves either the previous or the new
/// checkpoint, never a torn one.
struct CheckpointFile<Value: Codable & Sendable>: Sendable {
    let path: String

    /// The checkpoint for one transfer, named by a CRC-64 of what identifies the transfer, so
    /// the same transfer started again finds it and different transfers never share one.
    init(directory: URL, kind: String, identity: [String]) {
        let name = identity.joined(separator: "\n")
        let digest = String(CRC64.xz.checksum(Array("\(kind)\n\(name)".utf8)), radix: 16)
        path = directory.appendingPathComponent("\(kind)-\(digest).json").path
    }

    /// The saved value; `nil` when there is none or it cannot be read (then the transfer starts
    /// over, which is always safe).
    func load() -> Value? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Value.self, from: data)
    }

    /// Where a save is written before it is renamed over ``path``. One fixed name per checkpoint
    /// (not a fresh temporary name per save), so a process killed mid-save leaves at most this
    /// one file, which the next save overwrites and ``remove()`` deletes.
    var pendingPath: String { path + ".saving" }
    /// The generation last written: saves from parallel parts may finish out of order, and an
    /// older snapshot must never replace a newer one. The lock also keeps two saves from sharing
    /// ``pendingPath`` at once.
    private let written = NIOLockedValueBox(0)

    /// Writes `value`; with a `generation`, only if no later generation was written already.
    func save(_ value: Value, generation: Int? = nil) async throws {
        let data = try JSONEncoder().encode(value)
        let (path, pendingPath, written) = (path, pendingPath, written)
        try await LocalFile.blocking {
            try written.withLockedValue { last in
                if let generation, generation < last { return }
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: URL(fileURLWithPath: pendingPath))
                guard rename(pendingPath, path) == 0 else {
                    throw OSSClientError.localFile(
                        path: path, reason: "cannot save the checkpoint: \(String(cString: strerror(errno)))")
                }
                last = max(last, generation ?? last)
            }
        }
    }

    func remove() {
        FileManager.default.removeIfPresent(path)
        FileManager.default.removeIfPresent(pendingPath)
    }
}

/// Applies updates of a checkpoint from parallel parts one at a time, and saves each result.
actor CheckpointRecorder<Value: Codable & Sendable> {
    private(set) var value: Value
    private let file: CheckpointFile<Value>?

    init(_ value: Value, file: CheckpointFile<Value>?) {
        self.value = value
        self.file = file
    }

    private var generation = 0

    /// Applies `change` and saves the result. The actor is re-entered while a save is under
    /// way, so saves can overlap; generations keep the newest state on disk.
    func update(_ change: @Sendable (inout Value) -> Void) async throws {
        change(&value)
        generation += 1
        try await file?.save(value, generation: generation)
    }
}

/// What a resumable transfer does when its checkpoint no longer matches the local file or the
/// remote object (size, modification time, ETag or CRC changed).
public enum OSSStaleCheckpointPolicy: Sendable, Hashable {
    /// Discard the checkpoint (and the unfinished upload or partial file) and start over.
    case restart
    /// Throw ``OSSClientError/staleCheckpoint(_:)`` and leave everything as it is.
    case fail
}
