import Foundation
import OSSProtocol

/// Users, their access keys and the temporary credentials issued to them, as the admin commands
/// change them. The server reads them whole into its ``Keyring`` when it starts and whenever it
/// is told that they changed (SIGHUP).
///
/// Only the metadata is needed, so an admin command can change them beside a running server: the
/// database takes care of concurrent writers.
struct Identities: Sendable {
    let metadata: any MetadataStore
    /// The first user (``MetadataStore/bootstrapOwner(_:)``).
    let owner: UserRecord

    /// Adds a user with a new access key and returns both; the secret is shown to the operator
    /// once and never again. Throws `userAlreadyExists`, or `invalidArgument` for a bad name.
    func addUser(named name: String) async throws(StorageError) -> (user: UserRecord, key: AccessKeyRecord) {
        guard UserRecord.isValidName(name) else {
            throw .invalidArgument(
                "'\(name)' is not a valid user name: use 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
        let now = ObjectStorage.now()
        let user = UserRecord(id: UserRecord.newID(), name: name, created: now)
        let key = AccessKeyRecord.generate(for: user.id, now: now)
        try await metadata.createUser(user, key: key)
        return (user, key)
    }

    /// Every user, oldest (the owner) first.
    func users() async throws(StorageError) -> [UserRecord] {
        try await metadata.users()
    }

    /// Throws `noSuchUser`.
    func user(named name: String) async throws(StorageError) -> UserRecord {
        try await metadata.user(named: name)
    }

    /// Throws `noSuchUser`.
    func setUserDisabled(named name: String, _ disabled: Bool) async throws(StorageError) {
        try await metadata.setUserDisabled(named: name, disabled)
    }

    /// Throws `noSuchUser`, `userOwnsBuckets`, or `invalidArgument` for the owner, who signs with
    /// the server's own key pair and owns what existed before users did.
    func deleteUser(named name: String) async throws(StorageError) {
        guard name != owner.name else {
            throw .invalidArgument("the owner '\(name)' cannot be deleted: it signs with the server's own key pair")
        }
        try await metadata.deleteUser(named: name)
    }

    /// Every access key, of every user.
    func accessKeys() async throws(StorageError) -> [AccessKeyRecord] {
        try await metadata.accessKeys()
    }

    /// The keys of one user. Throws `noSuchUser`.
    func accessKeys(of name: String) async throws(StorageError) -> [AccessKeyRecord] {
        let user = try await metadata.user(named: name)
        return try await metadata.accessKeys().filter { $0.userID == user.id }
    }

    /// A new key for the user, beside the ones it has. Throws `noSuchUser`.
    func addAccessKey(user name: String) async throws(StorageError) -> AccessKeyRecord {
        let user = try await metadata.user(named: name)
        let key = AccessKeyRecord.generate(for: user.id, now: ObjectStorage.now())
        try await metadata.addAccessKey(key)
        return key
    }

    /// Throws `noSuchAccessKey`.
    func setAccessKeyActive(id: String, _ active: Bool) async throws(StorageError) {
        try await metadata.setAccessKeyActive(id: id, active)
    }

    /// Throws `noSuchAccessKey`.
    func deleteAccessKey(id: String) async throws(StorageError) {
        try await metadata.deleteAccessKey(id: id)
    }

    // MARK: Temporary credentials

    /// The longest temporary credentials live, as STS allows.
    static let maximumDuration: TimeInterval = 12 * 3600

    /// Issues temporary credentials to a user: they sign for it, but only within `policy` (a
    /// session policy's JSON) when one is given, and only for `duration` seconds.
    /// Throws `noSuchUser`, or `invalidArgument` for a bad policy or duration.
    func issueTemporaryCredentials(user name: String, policy: String?, duration: TimeInterval) async throws(StorageError)
        -> TemporaryCredentialRecord
    {
        guard duration >= 1, duration <= Self.maximumDuration else {
            throw .invalidArgument("the duration must lie between 1 second and 12 hours, not \(duration) seconds")
        }
        if let policy {
            do throws(OSSError) {
                _ = try OSSBucketPolicy(sessionJSON: policy)
            } catch {
                throw .invalidArgument("the session policy is not valid: \(error.message)")
            }
        }
        let user = try await metadata.user(named: name)
        let credential = TemporaryCredentialRecord.generate(for: user.id, policy: policy, now: ObjectStorage.now(), duration: duration)
        try await metadata.addTemporaryCredential(credential)
        return credential
    }

    /// Every temporary credential that has not been expired for a day (older ones are deleted).
    func temporaryCredentials() async throws(StorageError) -> [TemporaryCredentialRecord] {
        try await metadata.temporaryCredentials(expiringAfter: Date().addingTimeInterval(-86_400))
    }

    /// Revokes temporary credentials by id. Throws `noSuchAccessKey` when none has it.
    func revokeTemporaryCredential(id: String) async throws(StorageError) {
        guard try await metadata.revokeTemporaryCredentials(id: id, userID: nil) == 1 else {
            throw .noSuchAccessKey(id: id)
        }
    }

    /// Revokes every temporary credential of a user; returns how many. Throws `noSuchUser`.
    func revokeTemporaryCredentials(user name: String) async throws(StorageError) -> Int {
        let user = try await metadata.user(named: name)
        return try await metadata.revokeTemporaryCredentials(id: nil, userID: user.id)
    }

    // MARK: Telling a running server

    /// Records that users, keys or credentials changed, and returns the change's number; a
    /// server that reloaded them acknowledges the number it saw (``acknowledge(_:)``).
    func markChanged() async throws(StorageError) -> Int {
        let next = (Int(try await metadata.setting(Self.generationSetting) ?? "") ?? 0) + 1
        try await metadata.setSetting(Self.generationSetting, to: String(next))
        return next
    }

    /// The number of the latest change.
    func generation() async throws(StorageError) -> Int {
        Int(try await metadata.setting(Self.generationSetting) ?? "") ?? 0
    }

    /// Records that a server runs with the identities of change `generation`.
    func acknowledge(_ generation: Int) async throws(StorageError) {
        try await metadata.setSetting(Self.loadedSetting, to: String(generation))
    }

    /// The change a running server last acknowledged.
    func acknowledgedGeneration() async throws(StorageError) -> Int {
        Int(try await metadata.setting(Self.loadedSetting) ?? "") ?? 0
    }

    private static let generationSetting = "identities.generation"
    private static let loadedSetting = "identities.loaded"
}
