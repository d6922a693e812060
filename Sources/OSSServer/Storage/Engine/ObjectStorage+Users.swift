import Foundation

/// Users and access keys, as the admin commands change them. The server reads them whole into
/// its ``Keyring`` when it starts.
extension ObjectStorage {
    /// Adds a user with a new access key and returns both; the secret is shown to the operator
    /// once and never again. Throws `userAlreadyExists`, or `invalidArgument` for a bad name.
    func addUser(named name: String) async throws(StorageError) -> (user: UserRecord, key: AccessKeyRecord) {
        guard UserRecord.isValidName(name) else {
            throw .invalidArgument(
                "'\(name)' is not a valid user name: use 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
        let now = Self.now()
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
        let key = AccessKeyRecord.generate(for: user.id, now: Self.now())
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
}
