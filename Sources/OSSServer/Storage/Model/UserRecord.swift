import Foundation

/// A user of the server: who owns buckets and signs requests with one of its access keys.
///
/// Users are separate accounts, as two Alibaba Cloud accounts are: each sees only its own
/// buckets and gets `AccessDenied` on everyone else's unless an ACL or a bucket policy grants
/// it something.
struct UserRecord: Sendable, Hashable {
    /// The user id OSS documents carry as `Owner/ID` and bucket policies name as `Principal`: 16
    /// decimal digits, as Alibaba Cloud account ids are, random, never reused.
    var id: String
    /// The name the operator chose (`oss admin user add NAME`), unique.
    var name: String
    var created: Date
    /// A disabled user's keys are refused; its buckets stay as they are.
    var isDisabled: Bool

    init(id: String, name: String, created: Date, isDisabled: Bool = false) {
        self.id = id
        self.name = name
        self.created = created
        self.isDisabled = isDisabled
    }

    /// A new random user id.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        // A leading 1–9 keeps the id 16 digits long when read as a number.
        let first = String(Int.random(in: 1...9, using: &generator))
        return first + (0..<15).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
    }

    /// Whether `name` is a user name the admin commands accept: 1–64 letters, digits, `.`, `_`,
    /// `-` or `@`, so that it never needs quoting in a listing or a log line.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-@".unicodeScalars.contains($0)) }
    }
}

/// An access key of a user: the AccessKeyId requests name and the secret they are signed with.
struct AccessKeyRecord: Sendable, Hashable {
    var id: String
    /// The user the key signs for.
    var userID: String
    var secret: String
    var created: Date
    /// An inactive key is refused until it is enabled again.
    var isActive: Bool

    init(id: String, userID: String, secret: String, created: Date, isActive: Bool = true) {
        self.id = id
        self.userID = userID
        self.secret = secret
        self.created = created
        self.isActive = isActive
    }

    /// A new random key for `userID`: `LTAI` and 20 letters or digits, as Alibaba Cloud's
    /// AccessKeyIds look, and a 30-character secret.
    static func generate(for userID: String, now: Date) -> AccessKeyRecord {
        AccessKeyRecord(
            id: "LTAI" + RandomToken.make(count: 20), userID: userID, secret: RandomToken.make(count: 30), created: now)
    }
}

/// Random letters and digits from the system's generator.
enum RandomToken {
    static func make(count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}

/// Temporary credentials issued to a user (`oss admin sts issue`), as STS issues them: a key pair
/// that works only with its security token, until it expires or is revoked, and never beyond
/// what its session policy allows.
struct TemporaryCredentialRecord: Sendable, Hashable {
    /// `STS.` and 24 letters or digits.
    var id: String
    var userID: String
    var secret: String
    var securityToken: String
    var expiration: Date
    /// The session policy's JSON; `nil`: the user's own rights, undiminished.
    var policy: String?
    var created: Date
    var isRevoked: Bool

    init(
        id: String, userID: String, secret: String, securityToken: String, expiration: Date, policy: String?, created: Date,
        isRevoked: Bool = false
    ) {
        self.id = id
        self.userID = userID
        self.secret = secret
        self.securityToken = securityToken
        self.expiration = expiration
        self.policy = policy
        self.created = created
        self.isRevoked = isRevoked
    }

    /// New random credentials for `userID`, valid from `now` for `duration` seconds.
    static func generate(for userID: String, policy: String?, now: Date, duration: TimeInterval) -> TemporaryCredentialRecord {
        TemporaryCredentialRecord(
            id: "STS." + RandomToken.make(count: 24), userID: userID, secret: RandomToken.make(count: 40),
            securityToken: "CAIS" + RandomToken.make(count: 120), expiration: now.addingTimeInterval(duration),
            policy: policy, created: now)
    }
}
