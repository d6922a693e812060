import CRC64
import Foundation

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

    func save(_ value: Value) async throws {
        let data = try JSONEncoder().encode(value)
        let url = URL(fileURLWithPath: path)
        try await LocalFile.blocking {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        }
    }

    func remove() {
        FileManager.default.removeIfPresent(path)
    }
}

/// Serialises updates of a checkpoint from parallel parts: each update is applied and saved
/// before the next one starts.
actor CheckpointRecorder<Value: Codable & Sendable> {
    private(set) var value: Value
    private let file: CheckpointFile<Value>?

    init(_ value: Value, file: CheckpointFile<Value>?) {
        self.value = value
        self.file = file
    }

    func update(_ change: @Sendable (inout Value) -> Void) async throws {
        change(&value)
        try await file?.save(value)
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
