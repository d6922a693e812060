/// Which objects ListObjects (V1 or V2) should return.
///
/// V1's `marker` and V2's `start-after` / decoded `continuation-token` are all an exclusive
/// starting key, so both versions map to `marker`. Keys are ordered by their UTF-8 bytes.
struct ObjectListQuery: Sendable, Hashable {
    /// Only keys starting with this.
    var prefix: String
    /// Roll keys that contain this after the prefix up into one common prefix each.
    var delimiter: String?
    /// Only keys after this one (exclusive).
    var marker: String?
    /// At most this many entries, keys and common prefixes together.
    var maxKeys: Int

    init(prefix: String = "", delimiter: String? = nil, marker: String? = nil, maxKeys: Int = 100) {
        self.prefix = prefix
        self.delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
        self.marker = marker.flatMap { $0.isEmpty ? nil : $0 }
        self.maxKeys = maxKeys
    }
}

/// One page of ListObjects.
struct ObjectListing: Sendable, Hashable {
    /// The objects of this page, in key order.
    var objects: [ObjectSummary]
    /// The common prefixes of this page (each ends with the delimiter), in order.
    var commonPrefixes: [String]
    /// Whether more entries follow this page.
    var isTruncated: Bool
    /// When truncated, the marker (or V2 continuation token) of the next page: the last key or
    /// common prefix of this one.
    var nextMarker: String?

    /// Keys and common prefixes together, which is what `max-keys` and V2's `KeyCount` count.
    var entryCount: Int { objects.count + commonPrefixes.count }
}
