/// An access key pair, used by a client to sign and by tests to stand for a server's key store;
/// with a security token, the temporary credentials STS issues.
public struct OSSCredentials: Sendable, Hashable {
    /// The public AccessKeyId, sent in every signature.
    public var accessKeyID: String
    /// The AccessKeySecret; never sent.
    public var secret: String
    /// The STS security token of temporary credentials, sent (and signed) with every request as
    /// `x-oss-security-token`, or `security-token` in a V1 URL; `nil` for a permanent key pair.
    public var securityToken: String?

    /// Creates a key pair, temporary when it has a security token.
    public init(accessKeyID: String, secret: String, securityToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secret = secret
        self.securityToken = securityToken
    }
}

extension OSSCredentials {
    /// Whether `token` is this key pair's security token, compared in constant time so that a
    /// server checking tokens does not reveal how much of a guess was right.
    public func isSecurityToken(_ token: String) -> Bool {
        guard let securityToken else { return false }
        return MAC.constantTimeEqual(token, securityToken)
    }
}
