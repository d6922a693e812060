import Foundation
@testable import OSSProtocol
import Testing

@Suite("Percent-encoding, query strings and request targets (§1)")
struct EncodingTests {
    let unusualKey = "a b/c+d%e~f中.txt"

    @Test("encode: the unreserved set is kept, everything else is %XX upper-case")
    func encode() {
        #expect(OSSPercentEncoding.encode(unusualKey) == "a%20b%2Fc%2Bd%25e~f%E4%B8%AD.txt")
        #expect(OSSPercentEncoding.encode(unusualKey, keepingSlash: true) == "a%20b/c%2Bd%25e~f%E4%B8%AD.txt")
        #expect(OSSPercentEncoding.encode("AZaz09-_.~") == "AZaz09-_.~")
        #expect(OSSPercentEncoding.encode("!*'();:@&=+$,?#[]") == "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5D")
    }

    @Test("decode: exactly once, `+` stays, either hex case")
    func decode() throws {
        #expect(try OSSPercentEncoding.decode("a%20b%2Fc%2Bd%25e~f%E4%B8%AD.txt") == unusualKey)
        #expect(try OSSPercentEncoding.decode("a+b") == "a+b")
        #expect(try OSSPercentEncoding.decode("%252F") == "%2F")
        #expect(try OSSPercentEncoding.decode("%e4%b8%ad") == "中")
    }

    @Test("decode: bad escapes and invalid UTF-8 fail", arguments: ["%", "%2", "%zz", "a%2Gb", "%FF", "%C3%28", "%E4%B8"])
    func decodeFailures(input: String) {
        #expect(throws: OSSPercentDecodingError.self) { try OSSPercentEncoding.decode(input) }
    }

    @Test("query: `k` and `k=` are alike, `+` is a space (oss2 via requests), `%2B` a plus, order is kept")
    func query() throws {
        let oss2 = try OSSQueryItem.parse("append&position=0")
        let v2 = try OSSQueryItem.parse("append=&position=0")
        #expect(oss2 == v2)
        #expect(oss2 == [OSSQueryItem(name: "append"), OSSQueryItem(name: "position", value: "0")])
        let items = try OSSQueryItem.parse("prefix=a+b%20c%2Bd&&x=1=2")
        #expect(items.value(for: "prefix") == "a b c+d")
        #expect(items.value(for: "x") == "1=2")
        #expect(items.contains("prefix"))
        #expect(!items.contains("Prefix"))
        #expect(OSSQueryItem.encode(items) == "prefix=a%20b%20c%2Bd&x=1%3D2")
    }

    @Test("query: escapes at the edges, non-ASCII text, and bad escapes or bytes name the parameter")
    func queryEdges() throws {
        let items = try OSSQueryItem.parse("%41=%7A&k%3D=%E4%B8%AD&=v&%2B&&&")
        #expect(items == [
            OSSQueryItem(name: "A", value: "z"), OSSQueryItem(name: "k=", value: "中"),
            OSSQueryItem(name: "", value: "v"), OSSQueryItem(name: "+"),
        ])
        #expect(try OSSQueryItem.parse("prefix=中文+x") == [OSSQueryItem(name: "prefix", value: "中文 x")])
        #expect(try OSSQueryItem.parse("") == [])
        for bad in ["a=%", "a=%4", "a=%4g", "a%=1", "x=1&a=%ZZ"] {
            #expect(throws: OSSPercentDecodingError.self, "\(bad)") { try OSSQueryItem.parse(bad) }
        }
        #expect(throws: OSSPercentDecodingError.invalidUTF8("%FF x")) { try OSSQueryItem.parse("a=%FF+x") }
        #expect(throws: OSSPercentDecodingError.invalidEscape("1%G0")) { try OSSQueryItem.parse("a=1%G0") }
    }

    @Test("base64 agrees with Foundation's for every length up to 64 and every byte value")
    func base64() {
        for count in 0...64 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ count &* 31) }
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString(), "\(count) bytes")
        }
        let all = (0...255).map(UInt8.init)
        #expect(Base64.encode(all) == Data(all).base64EncodedString())
    }

    @Test("path style: the bucket is the first segment, the rest is decoded once and kept as is")
    func pathStyle() throws {
        let cases: [(String, String?, String?)] = [
            ("/", nil, nil),
            ("/bkt", "bkt", nil),
            ("/bkt/", "bkt", nil),
            ("/bkt/a%2Fb", "bkt", "a/b"),
            ("/bkt/a/b/", "bkt", "a/b/"),
            ("/bkt//a", "bkt", "/a"),
            ("/bkt/a/../b/./c", "bkt", "a/../b/./c"),
            ("/bkt/c+d", "bkt", "c+d"),
            ("/bkt/a%20b%2Fc%2Bd%25e~f%E4%B8%AD.txt", "bkt", "a b/c+d%e~f中.txt"),
            ("http://127.0.0.1:9000/bkt/k?acl", "bkt", "k"),
        ]
        for (target, bucket, key) in cases {
            let parsed = try OSSRequestTarget(parsing: target, host: "127.0.0.1:9000", serviceHosts: ["oss.local"])
            #expect(parsed.bucket == bucket, "\(target)")
            #expect(parsed.key == key, "\(target)")
            #expect(!parsed.isVirtualHosted)
        }
    }

    @Test("virtual host: the bucket comes from Host, case and port ignored")
    func virtualHost() throws {
        let parsed = try OSSRequestTarget(
            parsing: "/photos%2Fcat.jpg?uploadId=U", host: "BKT.oss.local:9000", serviceHosts: ["oss.local", "localhost"])
        #expect(parsed.bucket == "bkt")
        #expect(parsed.key == "photos/cat.jpg")
        #expect(parsed.query.value(for: "uploadId") == "U")
        #expect(parsed.isVirtualHosted)

        let bucketOnly = try OSSRequestTarget(parsing: "/?list-type=2", host: "bkt.localhost", serviceHosts: ["localhost"])
        #expect(bucketOnly.bucket == "bkt")
        #expect(bucketOnly.key == nil)

        let service = try OSSRequestTarget(parsing: "/", host: "oss.local:9000", serviceHosts: ["oss.local"])
        #expect(service.bucket == nil)
        #expect(OSSRequestTarget.virtualHostBucket(host: "[::1]:9000", serviceHosts: ["oss.local"]) == nil)
    }

    @Test("CNAME: a bound domain names the bucket, the whole path is the key, and it wins over service hosts")
    func cname() throws {
        let cnames = ["files.example.com": "media", "localhost": "bound"]
        let parsed = try OSSRequestTarget(
            parsing: "/2024/cat%20one.jpg?acl", host: "Files.Example.COM:8443", serviceHosts: ["oss.local"], cnames: cnames)
        #expect(parsed.bucket == "media")
        #expect(parsed.key == "2024/cat one.jpg")
        #expect(parsed.query.value(for: "acl") == "")
        #expect(parsed.isVirtualHosted)
        let bucketOnly = try OSSRequestTarget(parsing: "/?list-type=2", host: "files.example.com", cnames: cnames)
        #expect(bucketOnly.bucket == "media" && bucketOnly.key == nil)
        let overService = try OSSRequestTarget(parsing: "/k", host: "localhost:9000", serviceHosts: ["localhost"], cnames: cnames)
        #expect(overService.bucket == "bound" && overService.key == "k")
        let unbound = try OSSRequestTarget(parsing: "/b/k", host: "other.example.com", cnames: cnames)
        #expect(unbound.bucket == "b" && unbound.key == "k")
    }

    @Test("bad targets are typed errors")
    func badTargets() {
        #expect((#expect(throws: OSSError.self) { try OSSRequestTarget(parsing: "/bkt/%FF") })?.code == "InvalidObjectName")
        #expect((#expect(throws: OSSError.self) { try OSSRequestTarget(parsing: "/bkt/a?x=%zz") })?.code == "InvalidArgument")
        #expect((#expect(throws: OSSError.self) { try OSSRequestTarget(parsing: "//a") })?.code == "InvalidBucketName")
    }

    /// SQLite binds text up to its first NUL: `/bkt%00evil/x` would write to `bkt/x`, and
    /// `uploadId=U%00x` would find upload `U`.
    @Test("a NUL or control character in the bucket segment, or a NUL in the query, is refused",
          arguments: ["/bkt%00evil/x", "/bkt%01/x", "/bkt%7F", "/bkt%0A/x?acl"])
    func controlCharactersInBucket(target: String) {
        #expect((#expect(throws: OSSError.self) { try OSSRequestTarget(parsing: target) })?.code == "InvalidBucketName")
    }

    @Test("a NUL in a query name or value is InvalidArgument", arguments: ["/bkt/k?uploadId=U%00x", "/bkt?prefix=a%00", "/bkt?a%00b"])
    func nulInQuery(target: String) {
        #expect((#expect(throws: OSSError.self) { try OSSRequestTarget(parsing: target) })?.code == "InvalidArgument")
    }

    @Test("client paths: every key byte is encoded; bucket requests end in /")
    func clientPaths() {
        let object = OSSRequest(method: "GET", bucket: "bkt", key: unusualKey)
        #expect(object.encodedPath(style: .path) == "/bkt/a%20b%2Fc%2Bd%25e~f%E4%B8%AD.txt")
        #expect(object.encodedPath(style: .virtualHosted) == "/a%20b%2Fc%2Bd%25e~f%E4%B8%AD.txt")
        #expect(OSSRequest(method: "GET", bucket: "bkt").encodedPath(style: .path) == "/bkt/")
        #expect(OSSRequest(method: "GET", bucket: "bkt").encodedPath(style: .virtualHosted) == "/")
        #expect(OSSRequest(method: "GET").encodedPath(style: .path) == "/")
    }

    @Test("headers: case-insensitive, trimmed, repeated fields joined")
    func headers() {
        var request = OSSRequest(method: "GET", headers: [("X-OSS-Meta-A", " 1 "), ("x-oss-meta-a", "2")])
        #expect(request.header("x-oss-meta-a") == "1,2")
        request.setHeader("X-Oss-Meta-A", "3")
        #expect(request.header("x-oss-meta-a") == "3")
        #expect(request.header("missing") == nil)
    }
}
