import Foundation
import OSSProtocol
import Testing

@Suite("Dates, ETags, request ids and Content-MD5")
struct FormatTests {
    let vectorTime = Date(timeIntervalSince1970: 1_710_491_400)

    @Test("HTTP dates: RFC 1123 with a two-digit day")
    func httpDate() {
        #expect(OSSDateFormat.httpDate(vectorTime) == "Fri, 15 Mar 2024 08:30:00 GMT")
        #expect(OSSDateFormat.httpDate(Date(timeIntervalSince1970: 1_709_627_400)) == "Tue, 05 Mar 2024 08:30:00 GMT")
        #expect(OSSDateFormat.httpDate(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(OSSDateFormat.httpDate(Date(timeIntervalSince1970: 951_782_400.9)) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(OSSDateFormat.httpDate(Date(timeIntervalSince1970: -1)) == "Wed, 31 Dec 1969 23:59:59 GMT")
    }

    @Test("HTTP dates parse, also with a one-digit day, and reject other shapes")
    func parseHTTPDate() {
        #expect(OSSDateFormat.date(httpDate: "Fri, 15 Mar 2024 08:30:00 GMT") == vectorTime)
        #expect(OSSDateFormat.date(httpDate: "Tue, 5 Mar 2024 08:30:00 GMT") == Date(timeIntervalSince1970: 1_709_627_400))
        for bad in [
            "", "2024-03-15T08:30:00Z", "Fri, 15 Mar 2024 08:30:00", "Fri, 15 Foo 2024 08:30:00 GMT",
            "Fri, 31 Feb 2024 08:30:00 GMT", "Fri, 15 Mar 2024 24:00:00 GMT", "Fri 15 Mar 2024 08:30:00 GMT",
            "Fri, 15 Mar 24 08:30:00 GMT",
        ] {
            #expect(OSSDateFormat.date(httpDate: bad) == nil, "\(bad)")
        }
    }

    @Test("XML timestamps are exactly .000Z and parse with or without a fraction")
    func iso8601() {
        #expect(OSSDateFormat.iso8601(vectorTime) == "2024-03-15T08:30:00.000Z")
        #expect(OSSDateFormat.iso8601(vectorTime.addingTimeInterval(0.999)) == "2024-03-15T08:30:00.000Z")
        #expect(OSSDateFormat.date(iso8601: "2024-03-15T08:30:00.000Z") == vectorTime)
        #expect(OSSDateFormat.date(iso8601: "2024-03-15T08:30:00Z") == vectorTime)
        #expect(OSSDateFormat.date(iso8601: "2024-03-15T08:30:00.123456Z") == vectorTime)
        for bad in ["2024-03-15 08:30:00Z", "2024-03-15T08:30:00", "2024-03-15T08:30:00.Z", "2024-13-15T08:30:00Z"] {
            #expect(OSSDateFormat.date(iso8601: bad) == nil, "\(bad)")
        }
    }

    @Test("V4 timestamps")
    func v4Timestamp() {
        #expect(OSSDateFormat.v4Timestamp(vectorTime) == "20240315T083000Z")
        #expect(OSSDateFormat.date(v4Timestamp: "20240315T083000Z") == vectorTime)
        #expect(OSSDateFormat.date(v4Timestamp: "20240315T0830Z") == nil)
        #expect(OSSDateFormat.date(v4Timestamp: "2024-03-15T08:30:00Z") == nil)
    }

    @Test("date formats agree with each other over many instants")
    func roundTrips() {
        for seconds in stride(from: -86_400 * 800, to: 4_102_444_800, by: 7_654_321) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(OSSDateFormat.date(httpDate: OSSDateFormat.httpDate(date)) == date)
            #expect(OSSDateFormat.date(iso8601: OSSDateFormat.iso8601(date)) == date)
            #expect(OSSDateFormat.date(v4Timestamp: OSSDateFormat.v4Timestamp(date)) == date)
        }
    }

    @Test("ETags: upper-case hex in quotes; compared without quotes or case")
    func etags() {
        #expect(OSSETag.forBody(Array("hello, oss".utf8)) == "\"B353A6AC7A6EE89236F6D56F81694BBB\"")
        #expect(OSSETag.normalized("b353a6ac7a6ee89236f6d56f81694bbb") == "\"B353A6AC7A6EE89236F6D56F81694BBB\"")
        #expect(OSSETag.matches("\"B353A6AC7A6EE89236F6D56F81694BBB\"", "b353a6ac7a6ee89236f6d56f81694bbb"))
        #expect(!OSSETag.matches("\"AB\"", "\"ABC\""))
        #expect(OSSETag.header("*", matches: "\"X\""))
        #expect(OSSETag.header("\"A\", W/\"b\"", matches: "\"B\""))
        #expect(!OSSETag.header("\"A\"", matches: "\"B\""))
    }

    @Test("ETags: the multipart form, and the MD5 inside a body ETag")
    func multipartETags() throws {
        let a = try OSSContentMD5.digest(from: OSSContentMD5.value(for: Array("a".utf8)))
        let b = try OSSContentMD5.digest(from: OSSContentMD5.value(for: Array("b".utf8)))
        #expect(OSSETag.multipart(partDigests: [a, b]) == "\"96E024BA2074FE77E8E965BA43A704BE-2\"")
        #expect(OSSETag.md5(fromETag: OSSETag.quoted(md5: a)) == a)
        #expect(OSSETag.md5(fromETag: OSSETag.quoted(md5: a).lowercased()) == a)
        #expect(OSSETag.md5(fromETag: "\"96E024BA2074FE77E8E965BA43A704BE-2\"") == nil)
        #expect(OSSETag.md5(fromETag: "\"XYZ\"") == nil)
    }

    @Test("request ids: 24 upper-case hex characters starting with the time")
    func requestIDs() {
        var generator = SystemRandomNumberGenerator()
        let id = OSSRequestID.make(now: vectorTime, using: &generator)
        #expect(OSSRequestID.isValid(id))
        #expect(id.hasPrefix("65F40708"))
        #expect(OSSRequestID.make(now: vectorTime) != OSSRequestID.make(now: vectorTime))
        #expect(!OSSRequestID.isValid("65f4076800a1b2c3d4e5f607"))
    }

    @Test("Content-MD5: the §2.9 body and the empty body; mismatches are InvalidDigest")
    func contentMD5() throws {
        #expect(OSSContentMD5.value(for: Array("hello, oss".utf8)) == "s1OmrHpu6JI29tVvgWlLuw==")
        #expect(OSSContentMD5.value(for: [UInt8]()) == OSSContentMD5.emptyBody)
        let digest = try OSSContentMD5.digest(from: "s1OmrHpu6JI29tVvgWlLuw==")
        #expect(digest.count == 16)
        try OSSContentMD5.verify("s1OmrHpu6JI29tVvgWlLuw==", digest: digest)
        #expect((#expect(throws: OSSError.self) { try OSSContentMD5.verify(OSSContentMD5.emptyBody, digest: digest) })?.code == "InvalidDigest")
        #expect((#expect(throws: OSSError.self) { try OSSContentMD5.digest(from: "not base64!") })?.code == "InvalidDigest")
        #expect(throws: OSSError.self) { try OSSContentMD5.digest(from: "AAAA") }
    }
}
