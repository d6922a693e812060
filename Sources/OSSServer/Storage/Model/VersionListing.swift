import Foundation

/// Which versions ListObjectVersions should return.
///
/// Versions are ordered by key (UTF-8 bytes), then newest first. `keyMarker` alone starts after
/// every version of that key; with `versionIDMarker` it starts after that version of it.
struct VersionListQuery: Sendable, Hashable {
    /// Only keys starting with this.
    var prefix: String
    /// Roll keys that contain this after the prefix up into one common prefix each.
    var delimiter: String?
    /// Only versions of keys after this one, or after ``versionIDMarker`` of this key.
    var keyMarker: String?
    /// With ``keyMarker``: the version of that key the page starts after.
    var versionIDMarker: String?
    /// At most this many entries: versions, delete markers and common prefixes together.
    var maxKeys: Int

    init(prefix: String = "", delimiter: String? = nil, keyMarker: String? = nil, versionIDMarker: String? = nil, maxKeys: Int = 100) {
        self.prefix = prefix
        self.delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
        self.keyMarker = keyMarker.flatMap { $0.isEmpty ? nil : $0 }
        self.versionIDMarker = versionIDMarker.flatMap { $0.isEmpty ? nil : $0 }
        self.maxKeys = maxKeys
    }
}

/// One version of a key as ListObjectVersions shows it: an object or a delete marker.
struct VersionSummary: Sendable, Hashable {
    /// Where the version sorts among the versions of its key (higher is newer).
    var rowID: Int64
    /// ``ObjectVersionID``: a version id or `null`.
    var versionID: String
    /// Whether this is the newest version of its key.
    var isLatest: Bool
    /// A delete marker: only ``object``'s key and Last-Modified mean anything.
    var isDeleteMarker: Bool
    var object: ObjectSummary
}

/// One page of ListObjectVersions.
struct VersionListing: Sendable, Hashable {
    /// The versions of this page, by key, newest first within a key.
    var versions: [VersionSummary]
    /// The common prefixes of this page (each ends with the delimiter), in order.
    var commonPrefixes: [String]
    /// Whether more entries follow this page.
    var isTruncated: Bool
    /// When truncated, the key-marker of the next page: the last key or common prefix of this one.
    var nextKeyMarker: String?
    /// When truncated after a version, the version-id-marker of the next page.
    var nextVersionIDMarker: String?
}

/// What one key of DeleteObject or DeleteMultipleObjects asks for.
struct ObjectDeletion: Sendable, Hashable {
    var key: String
    /// The version to remove for good; `nil` deletes the key as its bucket's versioning says
    /// (removes it, or leaves a delete marker).
    var versionID: String?
    /// Without a version id: delete only if the latest version is still this object (a
    /// background expiry must not delete what a client wrote after the object it judged).
    var onlyIfLatest: VersionStamp?
    /// With a version id: delete only while that version is not the latest (a background expiry
    /// of noncurrent versions must not delete one that became current again).
    var onlyIfNoncurrent = false

    init(key: String, versionID: String? = nil, onlyIfLatest: VersionStamp? = nil, onlyIfNoncurrent: Bool = false) {
        self.key = key
        self.versionID = versionID
        self.onlyIfLatest = onlyIfLatest
        self.onlyIfNoncurrent = onlyIfNoncurrent
    }
}

/// What tells one version of a key from the versions written before and after it, also in a
/// bucket whose versions are all `null`: its Last-Modified (to the millisecond) and ETag.
struct VersionStamp: Sendable, Hashable {
    var lastModified: Date
    var etag: String
}

/// What a deletion did, as OSS reports it.
struct DeletionOutcome: Sendable, Hashable {
    var key: String
    /// The version removed, or the delete marker created; `nil` in a bucket whose versioning was
    /// never on.
    var versionID: String?
    /// Whether a delete marker was created or removed (`x-oss-delete-marker: true`).
    var deleteMarker: Bool
    /// `false` when ``ObjectDeletion/onlyIfLatest`` or ``ObjectDeletion/onlyIfNoncurrent`` did
    /// not hold and nothing changed.
    var applied: Bool = true
}
