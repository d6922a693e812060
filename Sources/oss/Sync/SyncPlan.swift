#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files a sync considers: `--exclude` globs leave files out, `--include` globs bring them
/// back (`--exclude '*' --include '*.txt'` syncs only text files). Globs match the path relative
/// to the synced folder or prefix, `*` matching `/` too, as `aws s3 sync` reads them.
struct SyncFilter: Sendable {
    var includes: [String] = []
    var excludes: [String] = []

    func selects(_ relative: String) -> Bool {
        guard excludes.contains(where: { Self.matches($0, relative) }) else { return true }
        return includes.contains { Self.matches($0, relative) }
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        fnmatch(pattern, path, 0) == 0
    }
}

/// One file on one side of a sync: its size, and what tells whether its CRC is known.
struct SyncEntry: Sendable, Hashable {
    var size: Int64
    /// A local file's stamp (the CRC cache's key); `nil` for an object.
    var stamp: LocalFileStamp?
    /// An object's CRC-64 when its listing carried one (swift-oss servers list it).
    var crc64: UInt64? = nil
}

/// What a sync does with one path.
enum SyncDecision: Sendable, Hashable {
    /// The destination lacks it or its size differs: copied without reading either side.
    case copy
    /// Same size: copied unless the CRC-64s are equal.
    case compare
    /// Same size under `--size-only`: left alone.
    case skip
    /// Only at the destination, under `--delete`.
    case delete
}

/// The decisions of a sync, from the two sides' listings alone: nothing is read or sent yet.
struct SyncPlan: Sendable {
    /// Source paths in byte order with their decision (`copy`, `compare` or `skip`).
    var transfers: [(path: String, entry: SyncEntry, decision: SyncDecision)] = []
    /// Destination paths to delete, in byte order.
    var deletions: [String] = []

    init(
        source: [String: SyncEntry], destination: [String: SyncEntry], filter: SyncFilter, sizeOnly: Bool,
        delete: Bool
    ) {
        for (path, entry) in source where filter.selects(path) {
            let decision: SyncDecision =
                if let existing = destination[path] {
                    existing.size != entry.size ? .copy : sizeOnly ? .skip : .compare
                } else {
                    .copy
                }
            transfers.append((path, entry, decision))
        }
        transfers.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        if delete {
            deletions = destination.keys.filter { source[$0] == nil && filter.selects($0) }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }
}
