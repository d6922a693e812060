import Foundation
import Logging

/// Users and access keys of a data folder, changed while its server is stopped (`oss admin`).
///
/// The server reads users and keys when it starts, so a change takes effect at the next start;
/// opening the folder takes its lock, so a running server and an admin command never both
/// change it.
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

    /// Why an admin command failed, in one line that names the fix.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let storage: ObjectStorage

    /// Opens the data folder of a stopped server.
    /// - Throws: ``Failure`` when the folder does not exist, is in use by a running server, or
    ///   cannot be opened.
    public static func open(dataDirectory: URL) async throws -> OSSUserAdministration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(
                description: "there is no data folder at \(dataDirectory.path): start the server once (oss serve --data DIR) or name the folder with --data")
        }
        var logger = Logger(label: "swift-oss.admin")
        logger.logLevel = .warning
        do throws(StorageError) {
            return OSSUserAdministration(storage: try await ObjectStorage.open(directory: dataDirectory.path, logger: logger))
        } catch .dataDirectoryInUse {
            throw Failure(
                description: "\(dataDirectory.path) is in use by a running server: stop it, run this command, then start it again")
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Adds a user and its first key; the secret is in the answer and never shown again.
    public func addUser(named name: String) async throws -> (user: User, key: AccessKey) {
        let (user, key) = try await run { () throws(StorageError) in try await storage.addUser(named: name) }
        return (view(user), view(key, userName: user.name, withSecret: true))
    }

    /// Every user, the owner first.
    public func users() async throws -> [User] {
        try await run { () throws(StorageError) in try await storage.users() }.map(view)
    }

    public func setUserDisabled(named name: String, _ disabled: Bool) async throws {
        try await run { () throws(StorageError) in try await storage.setUserDisabled(named: name, disabled) }
    }

    /// Deletes a user and its keys; refused while it owns buckets, and for the owner.
    public func deleteUser(named name: String) async throws {
        try await run { () throws(StorageError) in try await storage.deleteUser(named: name) }
    }

    /// The keys of a user, secrets left out.
    public func keys(of name: String) async throws -> [AccessKey] {
        try await run { () throws(StorageError) in try await storage.accessKeys(of: name) }
            .map { view($0, userName: name, withSecret: false) }
    }

    /// A new key for the user, beside its others; the secret is in the answer only.
    public func addKey(user name: String) async throws -> AccessKey {
        view(try await run { () throws(StorageError) in try await storage.addAccessKey(user: name) }, userName: name, withSecret: true)
    }

    /// Replaces a key by a new one of the same user: the new key is made first, then the old
    /// one deleted, so the user is never without a key.
    public func rotateKey(id: String) async throws -> AccessKey {
        let (old, user) = try await key(id: id)
        let fresh = try await run { () throws(StorageError) in try await storage.addAccessKey(user: user.name) }
        try await run { () throws(StorageError) in try await storage.deleteAccessKey(id: old.id) }
        return view(fresh, userName: user.name, withSecret: true)
    }

    public func setKeyActive(id: String, _ active: Bool) async throws {
        try await run { () throws(StorageError) in try await storage.setAccessKeyActive(id: id, active) }
    }

    public func deleteKey(id: String) async throws {
        try await run { () throws(StorageError) in try await storage.deleteAccessKey(id: id) }
    }

    // MARK: Helpers

    private func key(id: String) async throws -> (AccessKeyRecord, UserRecord) {
        let keys = try await run { () throws(StorageError) in try await storage.accessKeys() }
        let users = try await run { () throws(StorageError) in try await storage.users() }
        guard let key = keys.first(where: { $0.id == id }), let user = users.first(where: { $0.id == key.userID }) else {
            throw Failure(description: StorageError.noSuchAccessKey(id: id).description)
        }
        return (key, user)
    }

    private func run<T>(_ body: () async throws(StorageError) -> T) async throws -> T {
        do throws(StorageError) {
            return try await body()
        } catch {
            throw Failure(description: error.description)
        }
    }

    private func view(_ user: UserRecord) -> User {
        User(id: user.id, name: user.name, created: user.created, isDisabled: user.isDisabled, isOwner: user.id == storage.owner.id)
    }

    private func view(_ key: AccessKeyRecord, userName: String, withSecret: Bool) -> AccessKey {
        AccessKey(
            id: key.id, userName: userName, created: key.created, isActive: key.isActive,
            secret: withSecret ? key.secret : nil)
    }
}
