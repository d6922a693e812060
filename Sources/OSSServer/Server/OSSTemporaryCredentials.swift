import Foundation
import OSSProtocol

/// Temporary credentials the server accepts besides its own key pair, as STS issues them: an
/// AccessKeyId and secret that only work together with their security token, until they expire.
///
/// This lets applications that run on STS credentials in production be tested against this
/// server unchanged, token and expiry handling included.
public struct OSSTemporaryCredentials: Sendable, Hashable {
    /// The key pair and its security token.
    public var credentials: OSSCredentials
    /// When the credentials stop working.
    public var expiration: Date

    /// Creates temporary credentials; `securityToken` must not be empty.
    public init(accessKeyID: String, secret: String, securityToken: String, expiration: Date) {
        credentials = OSSCredentials(accessKeyID: accessKeyID, secret: secret, securityToken: securityToken)
        self.expiration = expiration
    }

    /// Reads a JSON list of STS `Credentials` objects, as AssumeRole returns them:
    /// `[{"AccessKeyId": …, "AccessKeySecret": …, "SecurityToken": …, "Expiration": "2026-01-01T00:00:00Z"}]`
    /// (a single object is accepted too).
    /// - Throws: ``OSSTemporaryCredentialsError`` naming the entry and the field that is wrong.
    public static func list(json: Data) throws -> [OSSTemporaryCredentials] {
        guard let root = try? JSONSerialization.jsonObject(with: json) else {
            throw OSSTemporaryCredentialsError("is not JSON")
        }
        let entries: [Any] = (root as? [Any]) ?? [root]
        return try entries.enumerated().map { index, entry in
            guard let object = entry as? [String: Any] else {
                throw OSSTemporaryCredentialsError("entry \(index + 1) is not an object")
            }
            func field(_ name: String) throws -> String {
                guard let value = object[name] as? String, !value.isEmpty else {
                    throw OSSTemporaryCredentialsError("entry \(index + 1) has no \(name)")
                }
                return value
            }
            let expirationText = try field("Expiration")
            guard let expiration = OSSDateFormat.date(iso8601: expirationText) else {
                throw OSSTemporaryCredentialsError(
                    "entry \(index + 1): Expiration \(expirationText) is not an ISO 8601 time such as 2026-01-01T00:00:00Z")
            }
            return OSSTemporaryCredentials(
                accessKeyID: try field("AccessKeyId"), secret: try field("AccessKeySecret"),
                securityToken: try field("SecurityToken"), expiration: expiration)
        }
    }
}

/// A temporary-credentials file that cannot be used, and why.
public struct OSSTemporaryCredentialsError: Error, CustomStringConvertible {
    /// What is wrong, for example "entry 2 has no SecurityToken".
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
