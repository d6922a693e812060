/// A credential variable that is unset or empty, named so that a message can say what to export.
public struct OSSMissingCredentialVariable: Error, Sendable, Hashable {
    /// The variable, such as `OSS_ACCESS_KEY_ID`.
    public let name: String
}

extension OSSCredentials {
    /// The AccessKeyId variable both official SDKs read.
    public static let accessKeyIDVariable = "OSS_ACCESS_KEY_ID"
    /// The AccessKeySecret variable both official SDKs read.
    public static let secretVariable = "OSS_ACCESS_KEY_SECRET"
    /// The STS security token variable both official SDKs read.
    public static let sessionTokenVariable = "OSS_SESSION_TOKEN"

    /// The key pair in `OSS_ACCESS_KEY_ID` and `OSS_ACCESS_KEY_SECRET`, temporary when
    /// `OSS_SESSION_TOKEN` is set too: the variables the official SDKs read, so that one exported
    /// pair configures `oss serve`, the `oss` commands and SDK users alike. Empty counts as unset.
    /// - Throws: the first variable missing.
    public static func fromEnvironment(_ variables: [String: String]) throws(OSSMissingCredentialVariable) -> OSSCredentials {
        func value(_ name: String) -> String? { variables[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let id = value(accessKeyIDVariable) else { throw OSSMissingCredentialVariable(name: accessKeyIDVariable) }
        guard let secret = value(secretVariable) else { throw OSSMissingCredentialVariable(name: secretVariable) }
        return OSSCredentials(accessKeyID: id, secret: secret, securityToken: value(sessionTokenVariable))
    }
}
