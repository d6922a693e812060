import CRC64
import Foundation
import Synchronization

/// The CRC-64s of the files of one local folder, remembered between runs of `oss sync`, so that
/// a re-run reads only the files whose stamp (size, times, inode) changed.
///
/// One JSON file per folder in the user's cache folder, named by a CRC of the folder's path; a
/// cache that cannot be read is an empty one (the CRCs are then computed again, which is always
/// correct), and it is written whole and renamed into place, so a killed run never leaves a
/// torn one.
final class CRCCache: Sendable {
    private struct Entry: Codable {
        var stamp: LocalFileStamp
        var crc: UInt64
    }

    private struct Stored: Codable {
        var root: String
        var files: [String: Entry]
    }

    let location: URL
    private let root: String
    private let entries: Mutex<[String: Entry]>

    /// Loads the cache of the folder `root` from `folder`.
    init(root: URL, folder: URL) {
        self.root = root.standardizedFileURL.path
        let name = String(CRC64.xz.checksum(Array(self.root.utf8)), radix: 16)
        location = folder.appendingPathComponent("\(name).json")
        let stored = (try? Data(contentsOf: location)).flatMap { try? JSONDecoder().decode(Stored.self, from: $0) }
        entries = Mutex(stored?.root == self.root ? stored?.files ?? [:] : [:])
    }

    /// The CRC recorded for `relative` when its stamp is still `stamp`.
    func crc(of relative: String, stamp: LocalFileStamp) -> UInt64? {
        entries.withLock { entries in
            guard let entry = entries[relative], entry.stamp == stamp else { return nil }
            return entry.crc
        }
    }

    func record(_ crc: UInt64, of relative: String, stamp: LocalFileStamp) {
        entries.withLock { $0[relative] = Entry(stamp: stamp, crc: crc) }
    }

    /// Keeps only the files in `present` (deleted files would otherwise pile up).
    func retain(_ present: Set<String>) {
        entries.withLock { entries in entries = entries.filter { present.contains($0.key) } }
    }

    /// Writes the cache; a failure costs the next run some reading, so it is only reported.
    func save() {
        let data = entries.withLock { files in try? JSONEncoder().encode(Stored(root: root, files: files)) }
        guard let data else { return }
        do {
            try FileManager.default.createDirectory(at: location.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: location, options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("warning: cannot save the CRC cache \(location.path): \(error.localizedDescription)\n".utf8))
        }
    }
}
