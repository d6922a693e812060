import Foundation
import HTTPTypes
import OSSProtocol
import Testing

@testable import OSSServer

/// Referer, website and logging configurations over HTTP, and hotlink protection enforced on the
/// requests OSS checks: anonymous ones and presigned URLs, never signed headers.
@Suite struct BucketDocumentsOverHTTPTests {
    @Test func refererRulesGuardAnonymousAndPresignedRequestsOnly() async throws {
        try await LiveServer.run { server in
            try await server.put("pic", [1, 2, 3])
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read")])
            let defaults = try await server.send(.get, query: [OSSQueryItem(name: "referer")])
            #expect(defaults.bodyText.contains("<AllowEmptyReferer>true</AllowEmptyReferer>"))
            let rules = Array(
                "<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><RefererList><Referer>https://*.example.com</Referer></RefererList></RefererConfiguration>".utf8)
            #expect(try await server.send(.put, query: [OSSQueryItem(name: "referer")], body: rules).status == .ok)

            let good = [("Referer", "https://www.example.com/page")]
            let bad = [("Referer", "https://thief.test/")]
            #expect(try await server.send(.get, key: "pic", headers: good, signing: .anonymous).bytes == [1, 2, 3])
            let refused = try await server.send(.get, key: "pic", headers: bad, signing: .anonymous)
            #expect(refused.status == .forbidden && refused.errorCode == "AccessDenied")
            #expect(refused.bodyText.contains("referer"))
            #expect(try await server.send(.get, key: "pic", signing: .anonymous).status == .forbidden)
            #expect(try await server.send(.get, key: "pic", headers: bad, signing: .presignedV4).status == .forbidden)
            #expect(try await server.send(.get, key: "pic", headers: good, signing: .presignedV1).status == .ok)
            // A request signed in its headers is the owner's: never checked.
            #expect(try await server.send(.get, key: "pic", headers: bad).status == .ok)
            #expect(try await server.send(.get, key: "pic").status == .ok)

            // The rules change at once, and go with their bucket.
            let open = Array("<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList/></RefererConfiguration>".utf8)
            try await server.send(.put, query: [OSSQueryItem(name: "referer")], body: open)
            #expect(try await server.send(.get, key: "pic", headers: bad, signing: .anonymous).status == .ok)
            try await server.send(.put, query: [OSSQueryItem(name: "referer")], body: rules)
            #expect(try await server.send(.get, key: "pic", headers: bad, signing: .anonymous).status == .forbidden)
            try await server.send(.delete, key: "pic")
            #expect(try await server.send(.delete).status == .noContent)
            try await server.send(.put, headers: [("x-oss-acl", "public-read")])
            try await server.put("pic", [4])
            #expect(try await server.send(.get, key: "pic", headers: bad, signing: .anonymous).bytes == [4])
        }
    }

    @Test func websiteAndLoggingConfigurationsRoundTrip() async throws {
        try await LiveServer.run { server in
            let website = [OSSQueryItem(name: "website")]
            #expect(try await server.send(.get, query: website).errorCode == "NoSuchWebsiteConfiguration")
            let document = "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>404.html</Key></ErrorDocument></WebsiteConfiguration>"
            #expect(try await server.send(.put, query: website, body: Array(document.utf8)).status == .ok)
            #expect(try await server.send(.get, query: website).bodyText.contains("<Suffix>index.html</Suffix>"))
            #expect(try await server.send(.put, query: website, body: Array("<WebsiteConfiguration/>".utf8)).errorCode == "MalformedXML")
            #expect(try await server.send(.delete, query: website).status == .noContent)
            #expect(try await server.send(.get, query: website).status == .notFound)

            let logging = [OSSQueryItem(name: "logging")]
            let off = try await server.send(.get, query: logging)
            #expect(off.status == .ok && off.bodyText.contains("BucketLoggingStatus") && !off.bodyText.contains("LoggingEnabled"))
            let toMissing = "<BucketLoggingStatus><LoggingEnabled><TargetBucket>nowhere</TargetBucket><TargetPrefix>log/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"
            #expect(try await server.send(.put, query: logging, body: Array(toMissing.utf8)).errorCode == "InvalidTargetBucketForLogging")
            let toSelf = toMissing.replacingOccurrences(of: "nowhere", with: "bkt")
            #expect(try await server.send(.put, query: logging, body: Array(toSelf.utf8)).status == .ok)
            let stored = try await server.send(.get, query: logging).bodyText
            #expect(stored.contains("<TargetBucket>bkt</TargetBucket>") && stored.contains("<TargetPrefix>log/</TargetPrefix>"))
            #expect(try await server.send(.delete, query: logging).status == .noContent)
            #expect(!(try await server.send(.get, query: logging).bodyText.contains("LoggingEnabled")))
            // Object-level, these names stay refused, never stored as objects.
            #expect(try await server.send(.put, key: "k", query: website, body: [1]).errorCode == "NotImplemented")
        }
    }

    @Test func websitesServeIndexAndErrorDocumentsToAnonymousReaders() async throws {
        try await LiveServer.run { server in
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read")])
            try await server.put("index.html", Array("<h1>home</h1>".utf8))
            try await server.put("docs/index.html", Array("<h1>docs</h1>".utf8))
            try await server.put("error.html", Array("<h1>lost</h1>".utf8))
            // Without a website configuration, the bare bucket is a listing.
            #expect(try await server.send(.get, key: nil, signing: .anonymous).bodyText.contains("<ListBucketResult"))

            let document = "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument></WebsiteConfiguration>"
            try await server.send(.put, query: [OSSQueryItem(name: "website")], body: Array(document.utf8))
            let home = try await server.send(.get, key: nil, signing: .anonymous)
            #expect(home.status == .ok && home.bodyText == "<h1>home</h1>")
            #expect(try await server.send(.get, key: "docs/", signing: .anonymous).bodyText == "<h1>docs</h1>")
            let lost = try await server.send(.get, key: "nowhere.html", signing: .anonymous)
            #expect(lost.status == .notFound && lost.bodyText == "<h1>lost</h1>")
            #expect(try await server.send(.head, key: "nowhere.html", signing: .anonymous).status == .notFound)
            #expect(try await server.send(.get, key: "index.html", signing: .anonymous).bodyText == "<h1>home</h1>")
            // Signed requests and listings with parameters are not website requests.
            #expect(try await server.send(.get, key: nil).bodyText.contains("<ListBucketResult"))
            #expect(try await server.send(.get, key: nil, query: [OSSQueryItem(name: "prefix", value: "")], signing: .anonymous)
                .bodyText.contains("<ListBucketResult"))
            #expect(try await server.send(.get, key: "nowhere.html").errorCode == "NoSuchKey")
            // The objects served pass their own ACLs.
            try await server.send(.put, key: "index.html", query: [OSSQueryItem(name: "acl")], headers: [("x-oss-object-acl", "private")])
            #expect(try await server.send(.get, key: nil, signing: .anonymous).errorCode == "AccessDenied")
        }
    }

    @Test func qosLimitsAndStorageCapacityAreStoredAndReported() async throws {
        try await LiveServer.run { server in
            let qosInfo = [OSSQueryItem(name: "qosInfo")]
            let unset = try await server.send(.get, query: qosInfo)
            #expect(unset.status == .ok && unset.bodyText.contains("<TotalQps>-1</TotalQps>"))
            let limits = Array("<QoSConfiguration><TotalUploadBandwidth>10</TotalUploadBandwidth><IntranetUploadBandwidth>4</IntranetUploadBandwidth><TotalQps>1000</TotalQps></QoSConfiguration>".utf8)
            #expect(try await server.send(.put, query: qosInfo, body: limits).status == .ok)
            let stored = try await server.send(.get, query: qosInfo).bodyText
            for element in ["<TotalUploadBandwidth>10<", "<IntranetUploadBandwidth>4<", "<ExtranetUploadBandwidth>-1<", "<TotalQps>1000<", "<ExtranetQps>-1<"] {
                #expect(stored.contains(element), "\(element)")
            }
            let tooMuch = Array("<QoSConfiguration><TotalQps>10</TotalQps><ExtranetQps>20</ExtranetQps></QoSConfiguration>".utf8)
            let refused = try await server.send(.put, query: qosInfo, body: tooMuch)
            #expect(refused.status == .badRequest && refused.errorCode == "InvalidArgument")
            #expect(try await server.send(.put, query: qosInfo, body: Array("<QoSConfiguration><TotalQps>x</TotalQps></QoSConfiguration>".utf8)).errorCode == "InvalidArgument")
            #expect(try await server.send(.get, query: qosInfo).bodyText.contains("<TotalQps>1000<"), "refusals change nothing")
            #expect(try await server.send(.delete, query: qosInfo).status == .noContent)
            #expect(try await server.send(.get, query: qosInfo).bodyText.contains("<TotalQps>-1</TotalQps>"))

            // The C SDK's storage capacity (`?qos`).
            let qos = [OSSQueryItem(name: "qos")]
            #expect(try await server.send(.get, query: qos).bodyText.contains("<StorageCapacity>-1</StorageCapacity>"))
            let capacity = Array("<BucketUserQos><StorageCapacity>100</StorageCapacity></BucketUserQos>".utf8)
            #expect(try await server.send(.put, query: qos, body: capacity).status == .ok)
            #expect(try await server.send(.get, query: qos).bodyText.contains("<StorageCapacity>100</StorageCapacity>"))
            #expect(try await server.send(.put, query: qos, body: Array("<BucketUserQos><StorageCapacity>-2</StorageCapacity></BucketUserQos>".utf8)).errorCode == "InvalidArgument")
            // Both are the owner's business.
            let bob = try await server.addUser("bob")
            #expect(try await server.send(.get, query: qos, signing: .v1As(bob.credentials)).status == .forbidden)
            #expect(try await server.send(.put, query: qosInfo, body: limits, signing: .v1As(bob.credentials)).status == .forbidden)
        }
    }

    @Test func accessLogsAreWrittenIntoTheTargetBucket() async throws {
        try await LiveServer.run(accessLogInterval: .milliseconds(200)) { server in
            try await server.send(.put, bucket: "log-target")
            try await server.put("k", Array("data".utf8))
            let logging = Array("<BucketLoggingStatus><LoggingEnabled><TargetBucket>log-target</TargetBucket><TargetPrefix>access/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>".utf8)
            #expect(try await server.send(.put, query: [OSSQueryItem(name: "logging")], body: logging).status == .ok)

            let read = try await server.send(.get, key: "k", headers: [("User-Agent", "log-test/1.0")])
            let missing = try await server.send(.head, key: "no such key")
            let anonymous = try await server.send(.get, key: "k", signing: .anonymous)
            #expect(read.status == .ok && missing.status == .notFound && anonymous.status == .forbidden)

            // The lines arrive as objects named <prefix><bucket>YYYY-mm-DD-HH-MM-SS-<unique>, in
            // one write or several.
            let ids = try [read, missing, anonymous].map { try #require($0.header("x-oss-request-id")) }
            var keys: [String] = []
            var text = ""
            for _ in 0..<100 where !ids.allSatisfy({ text.contains($0) }) {
                try await Task.sleep(for: .milliseconds(50))
                keys = UsersOverHTTPTests.keys(try await server.send(.get, bucket: "log-target", query: [OSSQueryItem(name: "prefix", value: "access/")]).bodyText)
                text = ""
                for key in keys { text += try await server.send(.get, bucket: "log-target", key: key).bodyText }
            }
            let key = try #require(keys.first)
            #expect(key.range(of: #"^access/bkt\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f]+$"#, options: .regularExpression) != nil, "\(key)")
            let lines = text.split(separator: "\n").map(String.init)
            let readLine = try #require(lines.first { $0.contains(ids[0]) })
            #expect(readLine.hasPrefix("127.0.0.1 - - ["))
            #expect(readLine.contains("\"GET /bkt/k HTTP/1.1\" 200 4 "))
            #expect(readLine.contains("\"log-test/1.0\"") && readLine.contains("\"GetObject\" \"bkt\" \"k\""))
            #expect(readLine.contains("\"\(server.storage.owner.id)\"") && readLine.hasSuffix("\"\(LiveServer.credentials.accessKeyID)\""))
            let missingLine = try #require(lines.first { $0.contains(ids[1]) })
            #expect(missingLine.contains("\"HEAD /bkt/no%20such%20key HTTP/1.1\" 404 ") && missingLine.contains("\"no%20such%20key\""))
            let anonymousLine = try #require(lines.first { $0.contains(ids[2]) })
            #expect(anonymousLine.contains(" 403 ") && anonymousLine.contains("\"GetObject\""))
            // The log bucket's own traffic is not logged (it has no logging on).
            #expect(!text.contains("/log-target/"))

            // Only a bucket of the same owner can receive the logs.
            let bob = try await server.addUser("bob")
            #expect(try await server.send(.put, bucket: "bobs-logs", signing: .v1As(bob.credentials)).status == .ok)
            let foreign = Array("<BucketLoggingStatus><LoggingEnabled><TargetBucket>bobs-logs</TargetBucket></LoggingEnabled></BucketLoggingStatus>".utf8)
            #expect(try await server.send(.put, query: [OSSQueryItem(name: "logging")], body: foreign).errorCode == "InvalidTargetBucketForLogging")
        }
    }
}
