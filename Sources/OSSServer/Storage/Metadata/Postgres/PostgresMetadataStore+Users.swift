import Foundation
import PostgresNIO

/// Users, access keys and temporary credentials, as in the SQLite store.
extension PostgresMetadataStore {
    func bootstrapOwner(_ candidate: UserRecord) async throws(StorageError) -> UserRecord {
        try await write { db in
            let owner: UserRecord
            if let id = try await db.value("SELECT value FROM settings WHERE name = \(Self.ownerSetting)", as: String.self),
                let stored = try await Self.fetchUser(db, id: id)
            {
                owner = stored
            } else {
                guard try await Self.fetchUser(db, name: candidate.name) == nil else {
                    throw StorageError.userAlreadyExists(name: candidate.name)
                }
                try await Self.insert(db, candidate)
                try await db.execute(
                    """
                    INSERT INTO settings (name, value) VALUES (\(Self.ownerSetting), \(candidate.id))
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value
                    """)
                owner = candidate
            }
            // Several nodes start at once: only the first changes anything, and the others must
            // not hold locks while they find that out.
            if try await db.value("SELECT EXISTS (SELECT 1 FROM buckets WHERE owner = '')", as: Bool.self) == true {
                try await db.execute("UPDATE buckets SET owner = \(owner.id) WHERE owner = ''")
            }
            return owner
        }
    }

    func createUser(_ user: UserRecord, key: AccessKeyRecord?) async throws(StorageError) {
        try await write { db in
            guard try await Self.fetchUser(db, name: user.name) == nil else {
                throw StorageError.userAlreadyExists(name: user.name)
            }
            try await Self.insert(db, user)
            if let key { try await Self.insert(db, key) }
        }
    }

    func users() async throws(StorageError) -> [UserRecord] {
        try await read { db in
            try await db.rows("SELECT * FROM users ORDER BY created_ms, name").map(PostgresRows.user)
        }
    }

    func user(named name: String) async throws(StorageError) -> UserRecord {
        try await read { db in
            guard let user = try await Self.fetchUser(db, name: name) else { throw StorageError.noSuchUser(name: name) }
            return user
        }
    }

    func setUserDisabled(named name: String, _ disabled: Bool) async throws(StorageError) {
        try await write { db in
            let changed = try await db.execute("UPDATE users SET disabled = \(disabled) WHERE name = \(name) RETURNING 1")
            guard changed == 1 else { throw StorageError.noSuchUser(name: name) }
        }
    }

    func deleteUser(named name: String) async throws(StorageError) {
        try await write { db in
            guard let user = try await Self.fetchUser(db, name: name) else { throw StorageError.noSuchUser(name: name) }
            let buckets = try await db.value("SELECT count(*) FROM buckets WHERE owner = \(user.id)", as: Int.self) ?? 0
            guard buckets == 0 else { throw StorageError.userOwnsBuckets(name: name, count: buckets) }
            // Its keys and temporary credentials go with it (ON DELETE CASCADE).
            try await db.execute("DELETE FROM users WHERE id = \(user.id)")
        }
    }

    func accessKeys() async throws(StorageError) -> [AccessKeyRecord] {
        try await read { db in
            try await db.rows("SELECT * FROM access_keys ORDER BY user_id, created_ms, id").map(PostgresRows.accessKey)
        }
    }

    func addAccessKey(_ key: AccessKeyRecord) async throws(StorageError) {
        try await write { db in try await Self.insert(db, key) }
    }

    func setAccessKeyActive(id: String, _ active: Bool) async throws(StorageError) {
        try await write { db in
            let changed = try await db.execute("UPDATE access_keys SET active = \(active) WHERE id = \(id) RETURNING 1")
            guard changed == 1 else { throw StorageError.noSuchAccessKey(id: id) }
        }
    }

    func deleteAccessKey(id: String) async throws(StorageError) {
        try await write { db in
            let changed = try await db.execute("DELETE FROM access_keys WHERE id = \(id) RETURNING 1")
            guard changed == 1 else { throw StorageError.noSuchAccessKey(id: id) }
        }
    }

    func addTemporaryCredential(_ credential: TemporaryCredentialRecord) async throws(StorageError) {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO temporary_credentials (id, user_id, secret, security_token, expiration_ms, policy, created_ms)
                VALUES (\(credential.id), \(credential.userID), \(credential.secret), \(credential.securityToken),
                    \(MetadataCoding.milliseconds(credential.expiration)), \(credential.policy),
                    \(MetadataCoding.milliseconds(credential.created)))
                """)
        }
    }

    func temporaryCredentials(expiringAfter cutoff: Date) async throws(StorageError) -> [TemporaryCredentialRecord] {
        try await write { db in
            try await db.execute("DELETE FROM temporary_credentials WHERE expiration_ms <= \(MetadataCoding.milliseconds(cutoff))")
            return try await db.rows("SELECT * FROM temporary_credentials ORDER BY created_ms, id")
                .map(PostgresRows.temporaryCredential)
        }
    }

    func revokeTemporaryCredentials(id: String?, userID: String?) async throws(StorageError) -> Int {
        try await write { db in
            try await db.execute(
                """
                UPDATE temporary_credentials SET revoked = true WHERE NOT revoked AND (id = \(id) OR user_id = \(userID))
                RETURNING 1
                """)
        }
    }

    // MARK: Rows

    /// As in the SQLite store: the settings entry naming the first user.
    private static let ownerSetting = "owner.user-id"

    private static func fetchUser(_ db: PostgresTransaction, id: String) async throws -> UserRecord? {
        try await db.row("SELECT * FROM users WHERE id = \(id)").map(PostgresRows.user)
    }

    private static func fetchUser(_ db: PostgresTransaction, name: String) async throws -> UserRecord? {
        try await db.row("SELECT * FROM users WHERE name = \(name)").map(PostgresRows.user)
    }

    private static func insert(_ db: PostgresTransaction, _ user: UserRecord) async throws {
        try await db.execute(
            """
            INSERT INTO users (id, name, created_ms, disabled)
            VALUES (\(user.id), \(user.name), \(MetadataCoding.milliseconds(user.created)), \(user.isDisabled))
            """)
    }

    private static func insert(_ db: PostgresTransaction, _ key: AccessKeyRecord) async throws {
        try await db.execute(
            """
            INSERT INTO access_keys (id, user_id, secret, created_ms, active)
            VALUES (\(key.id), \(key.userID), \(key.secret), \(MetadataCoding.milliseconds(key.created)), \(key.isActive))
            """)
    }
}
