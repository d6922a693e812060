import Foundation
import NIOConcurrencyHelpers
import OSSProtocol

/// Who signed a request: the user it acts for, through which key.
struct OSSPrincipal: Sendable, Hashable {
    /// The ``UserRecord/id`` of the user.
    let userID: String
    /// The AccessKeyId that signed.
    let accessKeyID: String
    /// For temporary credentials issued with one: the session policy, which the request must
    /// also pass.
    var sessionPolicy: OSSBucketPolicy? = nil
    /// Whether the key is a temporary credential's.
    var isTemporary = false
}

/// Every key pair the server accepts, and whose each is: the server's own pair and the
/// temporary credentials of `--sts-credentials` sign for the owner (the first user); the keys
/// and temporary credentials the admin commands created sign for their users.
///
/// The keys live in memory, read once when the server starts and again after every change
/// (``reload(from:)``), so that authenticating a request reads no database.
final class Keyring: Sendable {
    /// What one AccessKeyId stands for.
    struct Entry: Sendable {
        let secret: String
        let userID: String
        /// Refused with `InvalidAccessKeyId` ("disabled"): the key or its user is disabled.
        let isDisabled: Bool
        /// Temporary credentials only work with their token, until they expire.
        let temporary: OSSTemporaryCredentials?
        /// Temporary credentials issued by `oss admin sts issue` can be revoked…
        var isRevoked = false
        /// …and limited by a session policy.
        var sessionPolicy: OSSBucketPolicy?
    }

    private let owner: OSSCredentials
    private let ownerID: String
    private let temporary: [OSSTemporaryCredentials]
    private let entries: NIOLockedValueBox<[String: Entry]>

    /// The server's own pair and its temporary credentials, for the user `ownerID`; the stored
    /// keys are added by ``reload(from:)``.
    init(owner: OSSCredentials, ownerID: String, temporary: [OSSTemporaryCredentials]) {
        self.owner = owner
        self.ownerID = ownerID
        self.temporary = temporary
        entries = NIOLockedValueBox(Self.entries(owner: owner, ownerID: ownerID, temporary: temporary, users: []))
    }

    /// Reads the stored users and keys again; a disabled, rotated or deleted key is refused from
    /// the next request on.
    func reload(from identities: Identities) async throws(StorageError) {
        let users = try await identities.users()
        let keys = try await identities.accessKeys()
        let issued = try await identities.temporaryCredentials()
        let fresh = Self.entries(
            owner: owner, ownerID: ownerID, temporary: temporary, stored: keys, issued: issued, users: users)
        entries.withLockedValue { $0 = fresh }
    }

    private static func entries(
        owner: OSSCredentials, ownerID: String, temporary: [OSSTemporaryCredentials], stored: [AccessKeyRecord] = [],
        issued: [TemporaryCredentialRecord] = [], users: [UserRecord]
    ) -> [String: Entry] {
        let disabledUsers = Set(users.filter(\.isDisabled).map(\.id))
        var entries: [String: Entry] = [:]
        for key in stored {
            entries[key.id] = Entry(
                secret: key.secret, userID: key.userID, isDisabled: !key.isActive || disabledUsers.contains(key.userID),
                temporary: nil)
        }
        for credential in issued {
            entries[credential.id] = Entry(
                secret: credential.secret, userID: credential.userID, isDisabled: disabledUsers.contains(credential.userID),
                temporary: OSSTemporaryCredentials(
                    accessKeyID: credential.id, secret: credential.secret, securityToken: credential.securityToken,
                    expiration: credential.expiration),
                isRevoked: credential.isRevoked,
                // Checked when issued; a policy that no longer parses grants nothing.
                sessionPolicy: credential.policy.map { (try? OSSBucketPolicy(sessionJSON: $0)) ?? Self.grantsNothing })
        }
        for credentials in temporary {
            entries[credentials.credentials.accessKeyID] = Entry(
                secret: credentials.credentials.secret, userID: ownerID, isDisabled: disabledUsers.contains(ownerID),
                temporary: credentials)
        }
        // The server's own pair always signs for the owner: it is how an operator gets back in.
        entries[owner.accessKeyID] = Entry(secret: owner.secret, userID: ownerID, isDisabled: false, temporary: nil)
        return entries
    }

    /// What `accessKeyID` stands for, `nil` when it is unknown.
    func entry(for accessKeyID: String) -> Entry? {
        entries.withLockedValue { $0[accessKeyID] }
    }

    /// The principal of a request whose signature by `accessKeyID` held, once its state and its
    /// security token are checked (the signature covers the token, so it is the signer's).
    /// - Throws: 403 `InvalidAccessKeyId` for a disabled key or user; 403 `InvalidSecurityToken`
    ///   for a missing, different or unexpected token, 403 `SecurityTokenExpired` after the
    ///   credentials' expiry.
    func principal(accessKeyID: String, securityToken presented: String?, now: Date) throws(OSSError) -> OSSPrincipal {
        guard let entry = entry(for: accessKeyID) else { throw .invalidAccessKeyID(accessKeyID) }
        guard !entry.isDisabled else { throw .disabledAccessKeyID(accessKeyID) }
        var principal = OSSPrincipal(userID: entry.userID, accessKeyID: accessKeyID)
        guard let temporary = entry.temporary else {
            if presented != nil {
                throw .invalidSecurityToken(
                    "A security token was sent with a permanent AccessKeyId; send it only with temporary credentials.")
            }
            return principal
        }
        guard let presented else {
            throw .invalidSecurityToken(
                "The AccessKeyId \(accessKeyID) is temporary: the request must carry its security token.",
                ec: "0002-00000003")
        }
        guard temporary.credentials.isSecurityToken(presented) else {
            throw .invalidSecurityToken("The security token you provided is invalid.")
        }
        guard now <= temporary.expiration else {
            throw .securityTokenExpired(expiration: temporary.expiration, serverTime: now)
        }
        guard !entry.isRevoked else { throw .invalidSecurityToken("The security token was revoked.") }
        principal.isTemporary = true
        principal.sessionPolicy = entry.sessionPolicy
        return principal
    }

    /// A session policy that allows nothing.
    private static let grantsNothing = try! OSSBucketPolicy(
        sessionJSON: #"{"Version":"1","Statement":[{"Effect":"Deny","Action":"oss:*","Resource":"acs:oss:*:*:*"}]}"#)
}
