import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

/// GET conditions and copy-source conditions are one rule read from two header sets.
@Suite("Conditions: one precedence for GET and copy sources")
struct ConditionsTests {
    static let record = ObjectRecord(
        bucket: "bkt", key: "k", size: 1, etag: "\"ABC\"", crc64: 0,
        lastModified: Date(timeIntervalSince1970: 1_700_000_000.4), type: .normal, attributes: ObjectAttributes(),
        segments: [])
    static let before = OSSDateFormat.httpDate(Date(timeIntervalSince1970: 1_699_999_000))
    static let after = OSSDateFormat.httpDate(Date(timeIntervalSince1970: 1_700_001_000))

    /// (conditions by kind, the condition that fails), as RFC 9110 §13.2.2 orders them: a date
    /// condition counts only without its ETag counterpart.
    static let cases: [([OSSConditions.Condition: String], OSSConditions.Condition?)] = [
        ([.ifMatch: "\"abc\""], nil),
        ([.ifMatch: "\"other\""], .ifMatch),
        ([.ifMatch: "*", .ifUnmodifiedSince: before], nil),
        ([.ifUnmodifiedSince: before], .ifUnmodifiedSince),
        ([.ifUnmodifiedSince: after], nil),
        ([.ifNoneMatch: "\"ABC\""], .ifNoneMatch),
        ([.ifNoneMatch: "\"other\"", .ifModifiedSince: after], nil),
        ([.ifModifiedSince: after], .ifModifiedSince),
        ([.ifModifiedSince: before], nil),
        ([.ifMatch: "\"other\"", .ifNoneMatch: "\"ABC\""], .ifMatch),
        ([.ifUnmodifiedSince: "not a date"], nil),
    ]

    @Test("the same headers give the same verdict whether they arrive as If-* or x-oss-copy-source-if-*")
    func sameVerdict() {
        for (conditions, expected) in Self.cases {
            for headers in [OSSConditions.Headers.request, .copySource] {
                var fields: [String: String] = [:]
                for (condition, value) in conditions { fields[condition.headerName(in: headers)] = value }
                let parsed = OSSConditions(headers, from: { fields[$0] })
                #expect(parsed.failure(for: Self.record) == expected, "\(headers) \(conditions)")
            }
        }
    }

    @Test("a failed If-None-Match or If-Modified-Since means not modified; the others a failed precondition")
    func kinds() {
        #expect(OSSConditions.Condition.allCases.filter(\.meansNotModified) == [.ifNoneMatch, .ifModifiedSince])
        #expect(OSSConditions.Condition.ifMatch.headerName(in: .copySource) == "x-oss-copy-source-if-match")
        #expect(OSSConditions.Condition.ifUnmodifiedSince.headerName(in: .request) == "If-Unmodified-Since")
    }
}
