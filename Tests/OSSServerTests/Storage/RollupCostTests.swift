import Testing

@testable import OSSServer

/// The work a delimiter listing does, counted in rows fetched (deterministic, unlike time): it
/// used to refetch `limit − count + 1` rows after every common prefix, so 1,000 prefixes read
/// about half a million rows for one page.
@Suite("Delimiter listings read rows in proportion to the page, not its square")
struct RollupCostTests {
    /// Sorted keys, and a fetch over them that counts what it returns.
    final class Rows {
        let keys: [[UInt8]]
        var fetched = 0
        var queries = 0

        init(_ keys: [String]) { self.keys = keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) } }

        func fetch(_ cursor: ListCursor<[UInt8]>, _ limit: Int) -> [[UInt8]] {
            queries += 1
            let start: Int
            switch cursor {
            case .from(let bound): start = keys.firstIndex { !$0.lexicographicallyPrecedes(bound) } ?? keys.count
            case .after(let bound): start = keys.firstIndex { bound.lexicographicallyPrecedes($0) } ?? keys.count
            }
            let rows = Array(keys[start..<min(start + limit, keys.count)])
            fetched += rows.count
            return rows
        }

        func page(delimiter: String = "/", limit: Int) -> RolledUpPage<[UInt8]> {
            let rollup = KeyRollup(prefix: "", delimiter: delimiter, marker: nil)
            return RolledUpPage<[UInt8]>.collect(
                rollup: rollup, start: rollup.start, limit: limit, key: { $0 }, tail: { $0 }, fetch: fetch)
        }
    }

    @Test("2,000 prefixes of one key each: a page of 1,000 reads about 1,000 rows in one query")
    func onePerPrefix() {
        let rows = Rows((0..<2_000).map { "p\(1_000_000 + $0)/x" })
        let page = rows.page(limit: 1_000)
        #expect(page.commonPrefixes.count == 1_000)
        #expect(page.commonPrefixes.first == "p1000000/")
        #expect(page.isTruncated)
        #expect(rows.fetched <= 1_001)
        #expect(rows.queries == 1)
    }

    @Test("200 prefixes of 500 keys each, then plain keys: a few rows per prefix, every entry exact")
    func manyPerPrefix() {
        let keys = (0..<200).flatMap { prefix in (0..<500).map { "p\(1_000 + prefix)/k\($0)" } }
            + (0..<300).map { "z\(1_000 + $0)" }
        let rows = Rows(keys)
        let page = rows.page(limit: 1_000)
        #expect(page.commonPrefixes.count == 200)
        #expect(page.entries.count == 300)
        #expect(!page.isTruncated)
        #expect(rows.fetched < 200 * 2 * RolledUpPage<[UInt8]>.batchAfterSeek + 1_000)
    }

    @Test("paging by the last common prefix as marker visits each prefix once")
    func pagedByMarker() {
        let rows = Rows((0..<50).flatMap { prefix in (0..<3).map { "d\(100 + prefix)/\($0)" } })
        var seen: [String] = []
        var marker: String?
        while true {
            let rollup = KeyRollup(prefix: "", delimiter: "/", marker: marker)
            let page = RolledUpPage<[UInt8]>.collect(
                rollup: rollup, start: rollup.start, limit: 7, key: { $0 }, tail: { $0 }, fetch: rows.fetch)
            seen += page.commonPrefixes
            guard page.isTruncated, case .commonPrefix(let last)? = page.last else { break }
            marker = last
        }
        #expect(seen == (0..<50).map { "d\(100 + $0)/" })
    }
}
