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

    /// The smallest UTF-8 string after every string that starts with `prefix`, or `nil` when
    /// there is none (the empty prefix: no upper bound).
    ///
    /// UTF-8 byte order is code-point order, so the answer is the prefix with its last code point
    /// advanced (dropping trailing U+10FFFF), which is valid UTF-8 itself: a bound that any
    /// database holding keys as text can take, where advancing the last byte could give bytes no
    /// text column accepts (`…\u{BF}` + 1).
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var scalars = Array(String(decoding: prefix, as: UTF8.self).unicodeScalars)
        while let last = scalars.popLast() {
            // Surrogates are no scalars: after U+D7FF comes U+E000.
            let value = last.value == 0xD7FF ? 0xE000 : last.value + 1
            if let next = Unicode.Scalar(value) {
                scalars.append(next)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                return Array(String(view).utf8)
            }
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

/// A position in ListObjectVersions: a key and, within it, the row to continue after (`nil`:
/// after the whole key).
struct VersionCursor: Sendable {
    var key: [UInt8]
    var rowID: Int64?
}

extension ListCursor {
    /// The same position with another tail.
    func map<Other>(_ transform: (Tail) -> Other) -> ListCursor<Other> {
        switch self {
        case .from(let bytes): .from(bytes)
        case .after(let tail): .after(transform(tail))
        }
    }
}

/// A sort position among uploads: key, then upload id (compared as strings, as OSS lists them).
/// Without an id it stands after every upload of `key`.
struct UploadPosition: Sendable {
    var key: [UInt8]
    var uploadID: String?
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
    static func collect<Tail: Sendable>(
        rollup: KeyRollup, start: ListCursor<Tail>, limit: Int,
        key: @escaping (Entry) -> [UInt8], tail: @escaping (Entry) -> Tail,
        fetch: (ListCursor<Tail>, Int) throws -> [Entry]
    ) rethrows -> RolledUpPage<Entry> {
        var collector = Collector(rollup: rollup, start: start, limit: limit, key: key, tail: tail)
        while let request = collector.nextFetch() {
            collector.take(try fetch(request.cursor, request.count))
        }
        return collector.page
    }

    /// ``collect(rollup:start:limit:key:tail:fetch:)`` for a `fetch` that awaits its rows.
    static func collect<Tail: Sendable>(
        rollup: KeyRollup, start: ListCursor<Tail>, limit: Int,
        key: @escaping (Entry) -> [UInt8], tail: @escaping (Entry) -> Tail,
        fetch: (ListCursor<Tail>, Int) async throws -> [Entry]
    ) async rethrows -> RolledUpPage<Entry> {
        var collector = Collector(rollup: rollup, start: start, limit: limit, key: key, tail: tail)
        while let request = collector.nextFetch() {
            collector.take(try await fetch(request.cursor, request.count))
        }
        return collector.page
    }

    /// ``collect(rollup:start:limit:key:tail:fetch:)`` one batch at a time: ask ``nextFetch()`` what to fetch, give the rows to ``take(_:)``,
    /// until it asks for nothing; then ``page`` is complete.
    struct Collector<Tail: Sendable> {
        private(set) var page = RolledUpPage()
        private let rollup: KeyRollup
        private let limit: Int
        private let key: (Entry) -> [UInt8]
        private let tail: (Entry) -> Tail
        private var cursor: ListCursor<Tail>
        private var count = 0
        private var batchSize: Int
        private var requested = 0
        private var done = false

        init(
            rollup: KeyRollup, start: ListCursor<Tail>, limit: Int, key: @escaping (Entry) -> [UInt8],
            tail: @escaping (Entry) -> Tail
        ) {
            self.rollup = rollup
            self.limit = limit
            self.key = key
            self.tail = tail
            cursor = start
            batchSize = limit + 1
        }

        /// Where the next batch starts and how many rows it takes at most; `nil` once the page is
        /// complete.
        mutating func nextFetch() -> (cursor: ListCursor<Tail>, count: Int)? {
            guard !done else { return nil }
            requested = min(batchSize, max(limit - count, 0) + 1)
            return (cursor, requested)
        }

        /// Takes the rows fetched for the last ``nextFetch()``, in sort order.
        mutating func take(_ batch: [Entry]) {
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
                    guard count < limit else { return truncate() }
                    count += 1
                    let text = String(decoding: common, as: UTF8.self)
                    page.commonPrefixes.append(text)
                    page.last = .commonPrefix(text)
                    passing = common
                case .entry:
                    guard count < limit else { return truncate() }
                    count += 1
                    page.entries.append(entry)
                    page.last = .entry(entry)
                    cursor = .after(tail(entry))
                }
            }
            if batch.count < requested {
                done = true
            } else if let common = passing {
                // Past the prefix; there is nothing after a prefix of U+10FFFF alone.
                guard let next = KeyRollup.successor(of: common) else {
                    done = true
                    return
                }
                cursor = .from(next)
                batchSize = RolledUpPage.batchAfterSeek
            } else {
                batchSize = min(batchSize * 2, limit + 1)
            }
        }

        private mutating func truncate() {
            page.isTruncated = true
            done = true
        }
    }

    /// Rows fetched right after seeking past a common prefix.
    static var batchAfterSeek: Int { 8 }
}
