/// The prefix / delimiter / marker rules of ListObjects and ListMultipartUploads, over UTF-8 bytes.
///
/// OSS orders keys by their bytes, which is not Swift's `String` order, so every comparison here
/// is on `[UInt8]`. A key that contains the delimiter after the prefix is rolled up into the
/// common prefix ending at that delimiter; a common prefix at or before the marker was already
/// returned by an earlier page and is skipped, which is what makes a `NextMarker` that names a
/// common prefix resume correctly.
struct KeyRollup: Sendable {
    let prefix: [UInt8]
    let delimiter: [UInt8]?
    let marker: [UInt8]?

    init(prefix: String, delimiter: String?, marker: String?) {
        self.prefix = Array(prefix.utf8)
        self.delimiter = delimiter.map { Array($0.utf8) }
        self.marker = marker.map { Array($0.utf8) }
    }

    enum Verdict: Equatable {
        /// List the key itself.
        case entry
        /// List this common prefix once, then continue after every key that starts with it.
        case commonPrefix([UInt8])
        /// An earlier page listed this common prefix: continue after every key that starts with it.
        case skip([UInt8])
    }

    func classify(_ key: [UInt8]) -> Verdict {
        guard let delimiter, let end = Self.end(of: delimiter, in: key, from: prefix.count) else { return .entry }
        let common = Array(key[..<end])
        if let marker, !marker.lexicographicallyPrecedes(common) { return .skip(common) }
        return .commonPrefix(common)
    }

    /// The smallest byte string after every string that starts with `prefix`, or `nil` for the
    /// empty prefix (no upper bound). UTF-8 never contains 0xFF, but the rule holds for any bytes.
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }

    /// Where the listing starts: after the marker if it lies at or past the prefix, else at the prefix.
    var start: ListCursor<[UInt8]> {
        if let marker, !marker.lexicographicallyPrecedes(prefix) { return .after(marker) }
        return .from(prefix)
    }

    private static func end(of needle: [UInt8], in haystack: [UInt8], from offset: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= offset + needle.count else { return nil }
        var index = offset
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) {
                return index + needle.count
            }
            index += 1
        }
        return nil
    }
}

/// A position in a key-ordered listing.
enum ListCursor<Tail: Sendable>: Sendable {
    /// At the first entry whose key is at or after these bytes.
    case from([UInt8])
    /// After the entry at this sort position (for objects, the key; for uploads, key, time and id).
    case after(Tail)
}

/// One page of a rolled-up listing, before it is turned into the public listing type.
struct RolledUpPage<Entry> {
    var entries: [Entry] = []
    var commonPrefixes: [String] = []
    var isTruncated = false
    /// The last entry or common prefix of the page, which the next page's marker names.
    var last: Last?

    enum Last {
        case entry(Entry)
        case commonPrefix(String)
    }

    /// Fills a page of at most `limit` entries and common prefixes from `fetch`, which returns
    /// entries in sort order starting at a cursor, at most the count it is given.
    ///
    /// Every fetched row is looked at once: rows under a common prefix already listed are passed
    /// over within the batch, and only when a batch ends inside such a prefix does the next fetch
    /// seek past it (one indexed range query). Batches start at `limit + 1` rows, so that
    /// `isTruncated` is known without a second query; after a seek they restart small and double
    /// while rows keep being used, so that prefixes holding many keys each cost a few rows, not a
    /// whole batch: the work is linear in the page, never quadratic in `limit`.
    static func collect<Tail>(
        rollup: KeyRollup, start: ListCursor<Tail>, limit: Int,
        key: (Entry) -> [UInt8], tail: (Entry) -> Tail,
        fetch: (ListCursor<Tail>, Int) throws -> [Entry]
    ) rethrows -> RolledUpPage<Entry> {
        var page = RolledUpPage()
        var cursor = start
        var count = 0
        var batchSize = limit + 1
        batches: while true {
            let requested = min(batchSize, max(limit - count, 0) + 1)
            let batch = try fetch(cursor, requested)
            /// The common prefix whose keys the following rows may still belong to.
            var passing: [UInt8]?
            for entry in batch {
                let entryKey = key(entry)
                if let common = passing, entryKey.starts(with: common) { continue }
                passing = nil
                switch rollup.classify(entryKey) {
                case .skip(let common):
                    passing = common
                case .commonPrefix(let common):
                    guard count < limit else {
                        page.isTruncated = true
                        break batches
                    }
                    count += 1
                    let text = String(decoding: common, as: UTF8.self)
                    page.commonPrefixes.append(text)
                    page.last = .commonPrefix(text)
                    passing = common
                case .entry:
                    guard count < limit else {
                        page.isTruncated = true
                        break batches
                    }
                    count += 1
                    page.entries.append(entry)
                    page.last = .entry(entry)
                    cursor = .after(tail(entry))
                }
            }
            if batch.count < requested { break }
            if let common = passing {
                cursor = .from(KeyRollup.successor(of: common)!)
                batchSize = Self.batchAfterSeek
            } else {
                batchSize = min(batchSize * 2, limit + 1)
            }
        }
        return page
    }

    /// Rows fetched right after seeking past a common prefix.
    static var batchAfterSeek: Int { 8 }
}
