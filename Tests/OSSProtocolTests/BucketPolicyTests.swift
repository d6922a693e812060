import Foundation
import OSSProtocol
import Testing

/// The policy language: documents OSS's own examples are written in, and requests judged by them.
@Suite("Bucket policies")
struct BucketPolicyTests {
    static let owner = "1746495857602745"
    static let ram = "2021476040493512"

    static func request(
        _ action: String, _ resource: String, principal: String? = ram, values: [OSSPolicyCondition.Key: String] = [:],
        time: Date = Date(timeIntervalSince1970: 1_780_000_000), blocksPublicGrants: Bool = false
    ) -> OSSPolicyRequest {
        OSSPolicyRequest(
            principal: principal, action: action, resource: "acs:oss:*:\(owner):\(resource)", values: values, time: time,
            blocksPublicGrants: blocksPublicGrants)
    }

    static func policy(_ statements: String) throws -> OSSBucketPolicy {
        try OSSBucketPolicy(json: #"{"Version":"1","Statement":[\#(statements)]}"#, bucket: "examplebucket")
    }

    // The documentation's read-only grant to one RAM user, on one prefix, listing limited to it.
    static let readOnlyLogs = #"""
        {"Effect":"Allow","Action":["oss:GetObject"],"Principal":["2021476040493512"],
         "Resource":["acs:oss:*:1746495857602745:examplebucket/logs/*"]},
        {"Effect":"Allow","Action":["oss:ListObjects"],"Principal":["2021476040493512"],
         "Resource":["acs:oss:*:1746495857602745:examplebucket"],
         "Condition":{"StringLike":{"oss:Prefix":["logs/*"]}}}
        """#

    @Test("a read-only grant on a prefix: exactly those reads and listings, nothing else")
    func readOnlyPrefix() throws {
        let policy = try Self.policy(Self.readOnlyLogs)
        let cases: [(OSSPolicyRequest, OSSBucketPolicy.Decision, String)] = [
            (Self.request("oss:GetObject", "examplebucket/logs/2026/01.log"), .allow(statement: 1), "a key under logs/"),
            (Self.request("oss:GetObject", "examplebucket/secret.txt"), .none, "another key"),
            (Self.request("oss:GetObject", "examplebucket/logsx"), .none, "a key that only starts like the prefix"),
            (Self.request("oss:PutObject", "examplebucket/logs/forged"), .none, "a write"),
            (Self.request("oss:GetObject", "examplebucket/logs/a", principal: "1111111111111111"), .none, "another user"),
            (Self.request("oss:GetObject", "examplebucket/logs/a", principal: nil), .none, "anonymous"),
            (Self.request("oss:ListObjects", "examplebucket", values: [.prefix: "logs/2026/"]), .allow(statement: 2), "listing logs/"),
            (Self.request("oss:ListObjects", "examplebucket", values: [.prefix: ""]), .none, "listing everything"),
            (Self.request("oss:ListObjects", "examplebucket"), .none, "listing without a prefix"),
            (Self.request("oss:GetObject", "otherbucket/logs/a"), .none, "another bucket"),
        ]
        for (request, expected, what) in cases {
            #expect(policy.decision(for: request) == expected, "\(what)")
        }
    }

    @Test("Deny wins over Allow, whatever the order")
    func denyWins() throws {
        let policy = try Self.policy(#"""
            {"Effect":"Allow","Action":"oss:*","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*"},
            {"Effect":"Deny","Action":["oss:Delete*","oss:PutObject"],"Principal":["*"],"Resource":["acs:oss:*:*:examplebucket/archive/*"]}
            """#)
        #expect(policy.decision(for: Self.request("oss:DeleteObject", "examplebucket/archive/2025.tar")) == .deny(statement: 2))
        #expect(policy.decision(for: Self.request("oss:PutObject", "examplebucket/archive/x", principal: nil)) == .deny(statement: 2))
        #expect(policy.decision(for: Self.request("oss:GetObject", "examplebucket/archive/x")) == .allow(statement: 1))
        #expect(policy.decision(for: Self.request("oss:DeleteObject", "examplebucket/current/x")) == .allow(statement: 1))
        // Action names are case-insensitive, as in RAM.
        #expect(policy.decision(for: Self.request("oss:deleteobject", "examplebucket/archive/x")) == .deny(statement: 2))
    }

    @Test("Block Public Access takes away what statements for everyone allow, not what they deny")
    func blockPublicAccess() throws {
        let policy = try Self.policy(#"""
            {"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*"},
            {"Effect":"Allow","Action":"oss:GetObject","Principal":"2021476040493512","Resource":"acs:oss:*:*:examplebucket/named/*"},
            {"Effect":"Deny","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/named/secret"}
            """#)
        #expect(policy.decision(for: Self.request("oss:GetObject", "examplebucket/a", blocksPublicGrants: true)) == .none)
        #expect(policy.decision(for: Self.request("oss:GetObject", "examplebucket/named/a", blocksPublicGrants: true)) == .allow(statement: 2))
        #expect(policy.decision(for: Self.request("oss:GetObject", "examplebucket/named/secret", blocksPublicGrants: true)) == .deny(statement: 3))
    }

    @Test("conditions: source addresses, transport, time, delimiter; every condition must hold")
    func conditions() throws {
        let policy = try Self.policy(#"""
            {"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*",
             "Condition":{"IpAddress":{"acs:SourceIp":["192.168.0.0/16","10.0.0.1","2001:db8::/32"]},
                          "DateLessThan":{"acs:CurrentTime":"2027-01-01T00:00:00Z"}}},
            {"Effect":"Deny","Action":"oss:*","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*",
             "Condition":{"Bool":{"acs:SecureTransport":"false"},"NotIpAddress":{"acs:SourceIp":["127.0.0.0/8","::1"]}}},
            {"Effect":"Allow","Action":"oss:ListObjects","Principal":"*","Resource":"acs:oss:*:*:examplebucket",
             "Condition":{"StringEquals":{"oss:Delimiter":"/"}}}
            """#)
        let before = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28
        let after = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15
        func get(_ ip: String?, secure: String = "true", time: Date = before) -> OSSBucketPolicy.Decision {
            var values: [OSSPolicyCondition.Key: String] = [.secureTransport: secure]
            values[.sourceIP] = ip
            return policy.decision(for: Self.request("oss:GetObject", "examplebucket/k", values: values, time: time))
        }
        #expect(get("192.168.4.7") == .allow(statement: 1))
        #expect(get("10.0.0.1") == .allow(statement: 1))
        #expect(get("10.0.0.2") == .none)
        #expect(get("2001:db8:1::5") == .allow(statement: 1))
        #expect(get("::ffff:192.168.1.1") == .allow(statement: 1), "an IPv4-mapped address is its IPv4 address")
        #expect(get("192.168.4.7", time: after) == .none, "the grant ended")
        #expect(get("192.168.4.7", secure: "false") == .deny(statement: 2), "plain HTTP from outside loopback")
        #expect(get("127.0.0.1", secure: "false") == .none, "plain HTTP from loopback is not denied, nor allowed")
        #expect(get(nil) == .none, "no address: IpAddress fails")
        let list = { (delimiter: String?) in
            var values: [OSSPolicyCondition.Key: String] = [.secureTransport: "true"]
            values[.delimiter] = delimiter
            return policy.decision(for: Self.request("oss:ListObjects", "examplebucket", values: values))
        }
        #expect(list("/") == .allow(statement: 3))
        #expect(list(",") == .none)
        #expect(list(nil) == .none)
    }

    @Test("negated conditions hold when the request has no value for their key")
    func negatedConditionsOnMissingValues() throws {
        let policy = try Self.policy(#"""
            {"Effect":"Deny","Action":"oss:ListObjects","Principal":"*","Resource":"acs:oss:*:*:examplebucket",
             "Condition":{"StringNotLike":{"oss:Prefix":"public/*"}}}
            """#)
        #expect(policy.decision(for: Self.request("oss:ListObjects", "examplebucket")) == .deny(statement: 1))
        #expect(policy.decision(for: Self.request("oss:ListObjects", "examplebucket", values: [.prefix: "public/a"])) == .none)
    }

    @Test("wildcards: * spans anything, slashes included; ? one character")
    func wildcards() throws {
        let policy = try Self.policy(#"""
            {"Effect":"Allow","Action":"oss:Get*","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*/report-????.pdf"}
            """#)
        #expect(policy.decision(for: Self.request("oss:GetObject", "examplebucket/2026/q1/report-0331.pdf")) == .allow(statement: 1))
        #expect(policy.decision(for: Self.request("oss:GetObjectAcl", "examplebucket/x/report-0331.pdf")) == .allow(statement: 1))
        #expect(policy.decision(for: Self.request("oss:GetObject", "examplebucket/x/report-331.pdf")) == .none)
        #expect(policy.decision(for: Self.request("oss:PutObject", "examplebucket/x/report-0331.pdf")) == .none)
    }

    @Test("malformed documents are refused with a message naming what is wrong", arguments: [
        ("not json", "not a JSON object"),
        (#"{"Version":"2","Statement":[]}"#, "Version must be \"1\""),
        (#"{"Version":"1","Statement":[]}"#, "Statement must be a non-empty list"),
        (#"{"Version":"1","Statement":[{"Effect":"Permit","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*"}]}"#, "Statement 1: Effect must be Allow or Deny"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*"}]}"#, "Action s3:GetObject must start with oss:"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObjekt","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*"}]}"#, "oss:GetObjekt is not an OSS action"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"acs:oss:*:*:examplebucket/*"}]}"#, "Principal must be a string"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:otherbucket/*"}]}"#, "is not in bucket examplebucket"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"arn:aws:s3:::examplebucket/*"}]}"#, "must be acs:oss:*:*:examplebucket"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*","Condition":{"StringMatches":{"oss:Prefix":"a"}}}]}"#, "Condition operator StringMatches is not supported"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*","Condition":{"StringEquals":{"acs:MFAPresent":"true"}}}]}"#, "Condition key acs:MFAPresent is not supported"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*","Condition":{"IpAddress":{"acs:SourceIp":"300.1.1.1"}}}]}"#, "300.1.1.1 is not an IP address"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*","Condition":{"IpAddress":{"oss:Prefix":"a"}}}]}"#, "IpAddress does not apply to oss:Prefix"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*"}]}"#, "unknown element NotAction"),
    ])
    func malformed(document: String, message: String) {
        let error = #expect(throws: OSSError.self) { try OSSBucketPolicy(json: document, bucket: "examplebucket") }
        #expect(error?.code == "InvalidPolicyDocument")
        #expect(error?.status == 400)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("a document over 16 KiB is refused")
    func tooLarge() {
        let statement = #"{"Effect":"Allow","Action":"oss:GetObject","Principal":"*","Resource":"acs:oss:*:*:examplebucket/*"}"#
        let document = #"{"Version":"1","Statement":["# + Array(repeating: statement, count: 200).joined(separator: ",") + "]}"
        let error = #expect(throws: OSSError.self) { try OSSBucketPolicy(json: document, bucket: "examplebucket") }
        #expect(error?.message.contains("larger than 16384 bytes") == true)
    }
}
