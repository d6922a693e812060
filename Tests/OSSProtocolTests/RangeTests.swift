import OSSProtocol
import Testing

@Suite("Range headers (§3.6)")
struct RangeTests {
    func resolve(_ header: String?, size: Int64 = 1000, _ behavior: OSSRangeBehavior = .ignoreInvalid) throws -> OSSByteRange? {
        try OSSByteRange.resolve(header: header, objectSize: size, behavior: behavior)
    }

    @Test("parsing the three forms; only the first of several ranges")
    func parse() {
        #expect(OSSRangeSpec(parsing: "bytes=0-499") == .closed(first: 0, last: 499))
        #expect(OSSRangeSpec(parsing: "bytes=500-") == .from(first: 500))
        #expect(OSSRangeSpec(parsing: "bytes=-500") == .suffix(length: 500))
        #expect(OSSRangeSpec(parsing: " Bytes=0-0 ") == .closed(first: 0, last: 0))
        #expect(OSSRangeSpec(parsing: "bytes=0-499,500-999") == .closed(first: 0, last: 499))
        #expect(OSSRangeSpec(parsing: "bytes=0-99999999999999999999999") == .closed(first: 0, last: Int64.max))
    }

    @Test("syntactically invalid headers", arguments: ["byte=0-499", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "bytes=1-2-3", "bytes=--1", "items=0-1", "bytes=+1-2"])
    func invalidSyntax(header: String) throws {
        #expect(OSSRangeSpec(parsing: header) == nil)
        #expect(try resolve(header) == nil)
        #expect(try resolve(header, .standard) == nil)
    }

    @Test("OSS default: valid ranges give 206, the docs' invalid examples give the whole object")
    func defaultBehavior() throws {
        #expect(try resolve(nil) == nil)
        #expect(try resolve("bytes=0-499") == OSSByteRange(first: 0, last: 499))
        #expect(try resolve("bytes=500-999") == OSSByteRange(first: 500, last: 999))
        #expect(try resolve("bytes=500-") == OSSByteRange(first: 500, last: 999))
        #expect(try resolve("bytes=-500") == OSSByteRange(first: 500, last: 999))
        #expect(try resolve("bytes=-1000") == OSSByteRange(first: 0, last: 999))
        for invalid in ["bytes=0-1000", "bytes=1000-2000", "bytes=1000-", "bytes=-2000", "bytes=-0"] {
            #expect(try resolve(invalid) == nil, "\(invalid)")
        }
        #expect(try resolve("bytes=0-", size: 0) == nil)
    }

    @Test("standard: ends are clamped, starts past the end are 416 with Content-Range")
    func standardBehavior() throws {
        #expect(try resolve("bytes=0-1000", .standard) == OSSByteRange(first: 0, last: 999))
        #expect(try resolve("bytes=500-", .standard) == OSSByteRange(first: 500, last: 999))
        #expect(try resolve("bytes=-2000", .standard) == OSSByteRange(first: 0, last: 999))
        for unsatisfiable in ["bytes=1000-2000", "bytes=1000-", "bytes=-0"] {
            let error = #expect(throws: OSSError.self) { try resolve(unsatisfiable, .standard) }
            #expect(error?.code == "InvalidRange")
            #expect(error?.status == 416)
            #expect(error?.headers.first?.value == "bytes */1000")
        }
        #expect(throws: OSSError.self) { try resolve("bytes=0-", size: 0, .standard) }
    }

    @Test("the behaviour header and Content-Range")
    func helpers() {
        #expect(OSSRangeBehavior(header: "standard") == .standard)
        #expect(OSSRangeBehavior(header: " Standard ") == .standard)
        #expect(OSSRangeBehavior(header: nil) == .ignoreInvalid)
        #expect(OSSRangeBehavior(header: "strict") == .ignoreInvalid)
        let range = OSSByteRange(first: 0, last: 9)
        #expect(range.count == 10)
        #expect(range.contentRange(objectSize: 44) == "bytes 0-9/44")
    }

    @Test("Content-Range: what contentRange(objectSize:) writes parses back; other shapes do not")
    func contentRangeRoundTrip() {
        let range = OSSByteRange(first: 5, last: 1_048_575)
        let parsed = OSSByteRange.parse(contentRange: range.contentRange(objectSize: 3 << 20))
        #expect(parsed?.range == range)
        #expect(parsed?.objectSize == 3 << 20)
        for bad in ["bytes */100", "bytes 5-4/100", "items 0-1/2", "bytes 0-1", "bytes -1/2", ""] {
            #expect(OSSByteRange.parse(contentRange: bad) == nil, "\(bad)")
        }
    }
}
