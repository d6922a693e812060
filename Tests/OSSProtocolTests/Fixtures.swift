import Foundation
import OSSProtocol

/// The shared inputs of the §2.9 vectors.
enum Fixture {
    static let credentials = OSSCredentials(accessKeyID: "AKIDEXAMPLE", secret: "SKEXAMPLEsecret")
    /// 2024-03-15T08:30:00Z.
    static let now = Date(timeIntervalSince1970: 1_710_491_400)
    static let httpDate = "Fri, 15 Mar 2024 08:30:00 GMT"
    static let v4Date = "20240315T083000Z"
    static let region = "cn-hangzhou"
    static let bucket = "example-bucket"
    static let credential = OSSV4Credential(accessKeyID: "AKIDEXAMPLE", date: "20240315", region: "cn-hangzhou")

    /// A request as a server sees it: parsed from the raw target, with these headers.
    static func received(_ method: String, _ target: String, _ headers: [(name: String, value: String)]) throws
        -> OSSRequest
    {
        OSSRequest(method: method, target: try OSSRequestTarget(parsing: target), headers: headers)
    }

    static func lines(_ lines: String...) -> String {
        lines.joined(separator: "\n")
    }
}
