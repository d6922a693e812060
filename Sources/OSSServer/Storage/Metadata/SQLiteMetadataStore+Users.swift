import Foundation
import GRDB

/// Users and their access keys: two small tables read whole when the server starts (and after
/// an admin change), so no request reads them.
extension SQLiteMetadataStore {
    func bootstrapOwner(_ candidate: UserRecord) async throws(StorageError) -> UserRecord {
        try await write { db in
            let owner: UserRecord
            if let id = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = ?", arguments: [Self.ownerSetting]),
                let stored = try Self.fetchUser(db, id: id)
            {
                owner = stored
            } else {
                guard try Self.fetchUser(db, name: candidate.name) == nil else {
                    throw StorageError.userAlreadyExists(name: candidate.name)
                }
                try Self.insert(db, candidate)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)",
                    arguments: [Self.ownerSetting, candidate.id])
                owner = candidate
            }
            try db.execute(sql: "UPDATE buckets SET owner = ? WHERE owner = ''", arguments: [owner.id])
            // The account-wide Block Public Access of a store from before users is the owner's.
            try db.execute(
                sql: "UPDATE settings SET name = name || '/' || ? WHERE name = 'account.block-public-access'",
                arguments: [owner.id])
            return owner
        }
    }

    func createUser(_ user: UserRecord, key: AccessKeyRecord?) async throws(StorageError) {
        try await write { db in
            guard try Self.fetchUser(db, name: user.name) == nil else {
                throw StorageError.userAlreadyExists(name: user.name)
            }
            try Self.insert(db, user)
            if let key { try Self.insert(db, key) }
        }
    }

    func users() async throws(StorageError) -> [UserRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY created_ms, name").map(Self.user(_:))
        }
    }

    func user(named name: String) async throws(StorageError) -> UserRecord {
        try await read { db in
            guard let user = try Self.fetchUser(db, name: name) else { throw StorageError.noSuchUser(name: name) }
            return user
        }
    }

    func setUserDisabled(named name: String, _ disabled: Bool) async throws(StorageError) {
        try await write { db in
            try db.execute(sql: "UPDATE users SET disabled = ? WHERE name = ?", arguments: [disabled, name])
            guard db.changesCount == 1 else { throw StorageError.noSuchUser(name: name) }
        }
    }

    func deleteUser(named name: String) async throws(StorageError) {
        try await write { db in
            guard let user = try Self.fetchUser(db, name: name) else { throw StorageError.noSuchUser(name: name) }
            let buckets = try Int.fetchOne(db, sql: "SELECT count(*) FROM buckets WHERE owner = ?", arguments: [user.id]) ?? 0
            guard buckets == 0 else { throw StorageError.userOwnsBuckets(name: name, count: buckets) }
            // Its keys go with it (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [user.id])
        }
    }

    func accessKeys() async throws(StorageError) -> [AccessKeyRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_keys ORDER BY user_id, created_ms, id").map(Self.accessKey(_:))
        }
    }

    func addAccessKey(_ key: AccessKeyRecord) async throws(StorageError) {
        try await write { db in try Self.insert(db, key) }
    }

    func setAccessKeyActive(id: String, _ active: Bool) async throws(StorageError) {
        try await write { db in
            try db.execute(sql: "UPDATE access_keys SET active = ? WHERE id = ?", arguments: [active, id])
            guard db.changesCount == 1 else { throw StorageError.noSuchAccessKey(id: id) }
        }
    }

    func deleteAccessKey(id: String) async throws(StorageError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM access_keys WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw StorageError.noSuchAccessKey(id: id) }
        }
    }

    func addTemporaryCredential(_ credential: TemporaryCredentialRecord) async throws(StorageError) {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO temporary_credentials (id, user_id, secret, security_token, expiration_ms, policy, created_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    credential.id, credential.userID, credential.secret, credential.securityToken,
                    MetadataCoding.milliseconds(credential.expiration), credential.policy,
                    MetadataCoding.milliseconds(credential.created),
                ])
        }
    }

    func temporaryCredentials(expiringAfter cutoff: Date) async throws(StorageError) -> [TemporaryCredentialRecord] {
        try await write { db in
            let cutoff = MetadataCoding.milliseconds(cutoff)
            try db.execute(sql: "DELETE FROM temporary_credentials WHERE expiration_ms <= ?", arguments: [cutoff])
            return try Row.fetchAll(db, sql: "SELECT * FROM temporary_credentials ORDER BY created_ms, id").map { row in
                TemporaryCredentialRecord(
                    id: row["id"], userID: row["user_id"], secret: row["secret"], securityToken: row["security_token"],
                    expiration: MetadataCoding.date(row["expiration_ms"]), policy: row["policy"],
                    created: MetadataCoding.date(row["created_ms"]), isRevoked: row["revoked"])
            }
        }
    }

    func revokeTemporaryCredentials(id: String?, userID: String?) async throws(StorageError) -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE temporary_credentials SET revoked = 1 WHERE revoked = 0 AND (id = ? OR user_id = ?)",
                arguments: [id, userID])
            return db.changesCount
        }
    }

    // MARK: Rows

    /// The settings entry naming the first user, who owns what existed before users did and
    /// signs with the server's own key pair.
    private static let ownerSetting = "owner.user-id"

    private static func fetchUser(_ db: Database, id: String) throws -> UserRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(user(_:))
    }

    private static func fetchUser(_ db: Database, name: String) throws -> UserRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map(user(_:))
    }

    private static func insert(_ db: Database, _ user: UserRecord) throws {
        try db.execute(
            sql: "INSERT INTO users (id, name, created_ms, disabled) VALUES (?, ?, ?, ?)",
            arguments: [user.id, user.name, MetadataCoding.milliseconds(user.created), user.isDisabled])
    }

    private static func insert(_ db: Database, _ key: AccessKeyRecord) throws {
        try db.execute(
            sql: "INSERT INTO access_keys (id, user_id, secret, created_ms, active) VALUES (?, ?, ?, ?, ?)",
            arguments: [key.id, key.userID, key.secret, MetadataCoding.milliseconds(key.created), key.isActive])
    }

    private static func user(_ row: Row) -> UserRecord {
        UserRecord(
            id: row["id"], name: row["name"], created: MetadataCoding.date(row["created_ms"]), isDisabled: row["disabled"])
    }

    private static func accessKey(_ row: Row) -> AccessKeyRecord {
        AccessKeyRecord(
            id: row["id"], userID: row["user_id"], secret: row["secret"], created: MetadataCoding.date(row["created_ms"]),
            isActive: row["active"])
    }
}
