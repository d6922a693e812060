import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Users, access keys and temporary credentials of a data folder (`oss admin`).
///
/// With the server stopped, changes are made under the folder's lock and take effect when it
/// starts. With the server running, they are made beside it (the database takes care of the two
/// writers), the server is told (SIGHUP), and every call returns only once the server
/// acknowledged the change: a disabled key is refused from the next request on.
public struct OSSUserAdministration: Sendable {
    /// A user as the admin commands show it.
    public struct User: Sendable, Hashable {
        public let id: String
        public let name: String
        public let created: Date
        public let isDisabled: Bool
        /// The first user, who signs with the server's own key pair and owns what existed before
        /// users did.
        public let isOwner: Bool
    }

    /// An access key as the admin commands show it; the secret only when it was just made.
    public struct AccessKey: Sendable, Hashable {
        public let id: String
        public let userName: String
        public let created: Date
        public let isActive: Bool
        /// Present only in the answer that created the key: it is shown once.
        public let secret: String?
    }

    /// Temporary credentials as STS returns them (the SDKs' STS providers take this shape);
    /// secret and token only in the answer that issued them.
    public struct TemporaryCredentials: Sendable, Hashable {
        public let accessKeyID: String
        public let userName: String
        public let expiration: Date
        public let isRevoked: Bool
        public let hasPolicy: Bool
        public let secret: String?
        public let securityToken: String?
    }

    /// Why an admin command failed, in one line that names the fix.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let identities: Identities
    /// The running server to tell about changes; `nil` when it is stopped.
    let server: Int32?
    /// Keeps the data folder locked while the server is stopped.
    private let storage: ObjectStorage?

    /// Whether a server was running on the folder when it was opened.
    public var isServerRunning: Bool { server != nil }

    /// Opens the data folder of a stopped or running server.
    /// - Throws: ``Failure`` when the folder does not exist or cannot be opened.
    public static func open(dataDirectory: URL) async throws -> OSSUserAdministration {
        let directory = dataDirectory.path
        guard let opened = await OfflineDataFolder.open(dataDirectory, label: "swift-oss.admin") else {
            throw Failure(
                description: "there is no data folder at \(directory): start the server once (oss serve --data DIR) or name the folder with --data")
        }
        switch opened {
        case .success(let storage):
            return OSSUserAdministration(identities: storage.identities, server: nil, storage: storage)
        case .failure(.dataDirectoryInUse):
            return try await besideRunningServer(directory)
        case .failure(let error):
            throw Failure(description: error.description)
        }
    }

    /// Opens the metadata of a folder a server holds.
    private static func besideRunningServer(_ directory: String) async throws -> OSSUserAdministration {
        let server: Int32?
        do throws(StorageError) {
            server = try ObjectStorage.runningServer(in: directory)
        } catch {
            throw Failure(description: error.description)
        }
        guard let server else {
            throw Failure(description: "\(directory) is in use by another command: try again when it is done")
        }
        do throws(StorageError) {
            let metadata = try SQLiteMetadataStore(path: directory + "/metadata.sqlite")
            let owner = try await metadata.bootstrapOwner(UserRecord(id: UserRecord.newID(), name: "owner", created: Date()))
            return OSSUserAdministration(identities: Identities(metadata: metadata, owner: owner), server: server, storage: nil)
        } catch {
            throw Failure(description: error.description)
        }
    }

    // MARK: Users

    /// Adds a user and its first key; the secret is in the answer and never shown again.
    public func addUser(named name: String) async throws -> (user: User, key: AccessKey) {
        let (user, key) = try await change { () throws(StorageError) in try await identities.addUser(named: name) }
        return (view(user), view(key, userName: user.name, withSecret: true))
    }

    /// Every user, the owner first.
    public func users() async throws -> [User] {
        try await read { () throws(StorageError) in try await identities.users() }.map(view)
    }

    public func setUserDisabled(named name: String, _ disabled: Bool) async throws {
        try await change { () throws(StorageError) in try await identities.setUserDisabled(named: name, disabled) }
    }

    /// Deletes a user and its keys; refused while it owns buckets, and for the owner.
    public func deleteUser(named name: String) async throws {
        try await change { () throws(StorageError) in try await identities.deleteUser(named: name) }
    }

    // MARK: Access keys

    /// The keys of a user, secrets left out.
    public func keys(of name: String) async throws -> [AccessKey] {
        try await read { () throws(StorageError) in try await identities.accessKeys(of: name) }
            .map { view($0, userName: name, withSecret: false) }
    }

    /// A new key for the user, beside its others; the secret is in the answer only.
    public func addKey(user name: String) async throws -> AccessKey {
        let key = try await change { () throws(StorageError) in try await identities.addAccessKey(user: name) }
        return view(key, userName: name, withSecret: true)
    }

    /// Replaces a key by a new one of the same user: the new key is made first, then the old
    /// one deleted, so the user is never without a key.
    public func rotateKey(id: String) async throws -> AccessKey {
        let (old, user) = try await key(id: id)
        let fresh = try await change { () throws(StorageError) in
            let fresh = try await identities.addAccessKey(user: user.name)
            try await identities.deleteAccessKey(id: old.id)
            return fresh
        }
        return view(fresh, userName: user.name, withSecret: true)
    }

    public func setKeyActive(id: String, _ active: Bool) async throws {
        try await change { () throws(StorageError) in try await identities.setAccessKeyActive(id: id, active) }
    }

    public func deleteKey(id: String) async throws {
        try await change { () throws(StorageError) in try await identities.deleteAccessKey(id: id) }
    }

    // MARK: Temporary credentials

    /// Issues temporary credentials to a user, limited by `policy` (a session policy's JSON)
    /// when given, for `duration` seconds (at most 12 hours).
    public func issueTemporaryCredentials(user name: String, policy: String?, duration: TimeInterval) async throws
        -> TemporaryCredentials
    {
        let issued = try await change { () throws(StorageError) in
            try await identities.issueTemporaryCredentials(user: name, policy: policy, duration: duration)
        }
        return view(issued, userName: name, withSecret: true)
    }

    /// Temporary credentials not yet forgotten (expired for less than a day), secrets left out.
    public func temporaryCredentials() async throws -> [TemporaryCredentials] {
        let (credentials, users) = try await read { () throws(StorageError) in
            (try await identities.temporaryCredentials(), try await identities.users())
        }
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
        return credentials.map { view($0, userName: names[$0.userID] ?? $0.userID, withSecret: false) }
    }

    /// Revokes temporary credentials by AccessKeyId.
    public func revokeTemporaryCredential(id: String) async throws {
        try await change { () throws(StorageError) in try await identities.revokeTemporaryCredential(id: id) }
    }

    /// Revokes every temporary credential of a user; returns how many.
    public func revokeTemporaryCredentials(user name: String) async throws -> Int {
        try await change { () throws(StorageError) in try await identities.revokeTemporaryCredentials(user: name) }
    }

    // MARK: Helpers

    private func key(id: String) async throws -> (AccessKeyRecord, UserRecord) {
        let (keys, users) = try await read { () throws(StorageError) in
            (try await identities.accessKeys(), try await identities.users())
        }
        guard let key = keys.first(where: { $0.id == id }), let user = users.first(where: { $0.id == key.userID }) else {
            throw Failure(description: StorageError.noSuchAccessKey(id: id).description)
        }
        return (key, user)
    }

    private func read<T>(_ body: () async throws(StorageError) -> T) async throws -> T {
        do throws(StorageError) {
            return try await body()
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Makes a change and, beside a running server, waits until the server runs with it.
    private func change<T>(_ body: () async throws(StorageError) -> T) async throws -> T {
        let result = try await read(body)
        guard let server else { return result }
        let generation = try await read { () throws(StorageError) in try await identities.markChanged() }
        guard kill(server, SIGHUP) == 0 else {
            throw Failure(
                description: "the change is stored, but the server (pid \(server)) could not be told: \(String(cString: strerror(errno))); it takes effect when the server restarts")
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await read({ () throws(StorageError) in try await identities.acknowledgedGeneration() }) >= generation {
                return result
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(
            description: "the change is stored, but the server (pid \(server)) did not pick it up within 10 s (see its log); it takes effect when the server restarts")
    }

    private func view(_ user: UserRecord) -> User {
        User(id: user.id, name: user.name, created: user.created, isDisabled: user.isDisabled, isOwner: user.id == identities.owner.id)
    }

    private func view(_ key: AccessKeyRecord, userName: String, withSecret: Bool) -> AccessKey {
        AccessKey(
            id: key.id, userName: userName, created: key.created, isActive: key.isActive,
            secret: withSecret ? key.secret : nil)
    }

    private func view(_ credential: TemporaryCredentialRecord, userName: String, withSecret: Bool) -> TemporaryCredentials {
        TemporaryCredentials(
            accessKeyID: credential.id, userName: userName, expiration: credential.expiration, isRevoked: credential.isRevoked,
            hasPolicy: credential.policy != nil, secret: withSecret ? credential.secret : nil,
            securityToken: withSecret ? credential.securityToken : nil)
    }
}
