/// An access key pair, used by a client to sign and by tests to stand for a server's key store.
public struct OSSCredentials: Sendable, Hashable {
    /// The public AccessKeyId, sent in every signature.
    public var accessKeyID: String
    /// The AccessKeySecret; never sent.
    public var secret: String

    /// Creates a key pair.
    public init(accessKeyID: String, secret: String) {
        self.accessKeyID = accessKeyID
        self.secret = secret
    }
}
