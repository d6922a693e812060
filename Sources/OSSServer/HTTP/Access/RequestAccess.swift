import OSSProtocol

/// Who may do what (§2.7): a bucket's owner may do everything to it; anyone else, signed or
/// not, only what the ACLs grant everyone. An object ACL of `default` inherits its bucket's;
/// `public-read` allows reads (GET, HEAD, listings), `public-read-write` writes too; everything
/// else is 403 `AccessDenied`. While Block Public Access is on for the bucket or its owner's
/// account, no ACL grants anything.
///
/// Service operations (ListBuckets, the account's Block Public Access) act on the signer's own
/// account; anonymous callers have none.
extension OSSHandlers {
    /// Who a request acts for.
    enum Caller: Sendable, Hashable {
        case anonymous
        /// A signed request, by the user with this id.
        case user(String)

        init(_ call: OSSCall) {
            self = call.principal.map { .user($0.userID) } ?? .anonymous
        }
    }

    /// Throws 403 `AccessDenied` unless the caller may run `operation`; throws `NoSuchBucket` for
    /// a missing bucket, as OSS answers any caller.
    func authorize(_ call: OSSCall, for operation: OSSOperation) async throws {
        let caller = Caller(call)
        switch operation.access {
        case .owner:
            guard case .user(let user) = caller else { throw OSSError.anonymousAccessForbidden() }
            // PutBucket answers for a bucket that exists itself (409 unless it is the caller's).
            guard let bucket = call.bucket, operation != .createBucket else { return }
            guard try await storage.bucketOwner(bucket) == user else { throw OSSError.notBucketOwner() }
        case .form, .anyone, .readOpenedObject:
            // PostObject authenticates through its form, which only the handler reads; a
            // preflight is answered by the bucket's CORS rules; GET and HEAD check the object
            // they open (``authorizeRead(_:of:bucket:key:versionID:)``).
            return
        case .readBucket, .writeBucket:
            let bucket = try Self.bucket(of: call)
            guard try await !owns(caller, bucket) else { return }
            let acl = try await publicBucketACL(bucket)
            try Self.require(acl, allows: operation.access == .writeBucket ? .write : .read)
        case .readObject:
            try await authorize(
                caller, .read, bucket: try Self.bucket(of: call), key: try Self.key(of: call), versionID: Self.versionID(call))
        case .writeObject:
            try await authorize(
                caller, .write, bucket: try Self.bucket(of: call), key: try Self.key(of: call), versionID: Self.versionID(call))
            if operation.copiesFromSource {
                let source = try Self.copySource(call)
                try await authorize(caller, .read, bucket: source.bucket, key: source.key, versionID: source.versionID)
            }
        }
    }

    /// Whether the caller owns the bucket. Throws `noSuchBucket`.
    func owns(_ caller: Caller, _ bucket: String) async throws(StorageError) -> Bool {
        guard case .user(let user) = caller else { return false }
        return try await storage.bucketOwner(bucket) == user
    }

    /// For GET and HEAD: for callers other than the bucket's owner, checks the ACLs of the object
    /// opened (and of the symlink read through); when opening failed, the same check on what
    /// exists, so that a missing key or a dangling link is 403 where the ACLs do not allow
    /// reading, and a stranger learns nothing of a private bucket.
    func authorizeRead(
        _ caller: Caller, of opening: () async throws -> OpenedObject, bucket: String, key: String, versionID: String?
    ) async throws -> OpenedObject {
        guard try await !owns(caller, bucket) else { return try await opening() }
        let opened: OpenedObject
        do {
            opened = try await opening()
        } catch let error as StorageError {
            try await authorize(caller, .read, bucket: bucket, key: key, versionID: versionID)
            throw error
        }
        let bucketACL = try await publicBucketACL(bucket)
        for objectACL in [opened.symlink?.attributes.acl, opened.record.attributes.acl].compactMap({ $0 }) {
            try Self.require(Self.effectiveACL(object: objectACL, bucket: bucketACL), allows: .read)
        }
        return opened
    }

    /// The permission a caller other than the bucket's owner needs.
    enum Permission {
        case read, write
    }

    /// Passes the bucket's owner; for anyone else checks the effective ACL of `bucket`/`key`
    /// (the version `versionID` names, or the latest): the object's own unless it is `default` or
    /// there is no such object (a missing key or version, a delete marker), then the bucket's. A
    /// read through a symlink also needs the target's. What is missing is reported only to
    /// callers the bucket lets read.
    func authorize(
        _ caller: Caller, _ permission: Permission, bucket: String, key: String, versionID: String? = nil
    ) async throws {
        guard try await !owns(caller, bucket) else { return }
        let bucketACL = try await publicBucketACL(bucket)
        let objectACLs = switch permission {
        case .write: try await objectACL(bucket: bucket, key: key, versionID: versionID).map { [$0] } ?? []
        case .read: try await readACLs(bucket: bucket, key: key, versionID: versionID)
        }
        for objectACL in objectACLs.isEmpty ? [OSSObjectACL.default] : objectACLs {
            try Self.require(Self.effectiveACL(object: objectACL, bucket: bucketACL), allows: permission)
        }
    }

    /// The bucket's ACL as everyone but its owner meets it: 403 at once while Block Public
    /// Access is on for the bucket or its owner's account, since public ACLs, the bucket's or an
    /// object's, then grant nothing.
    private func publicBucketACL(_ bucket: String) async throws -> OSSBucketACL {
        let record = try await storage.bucket(bucket)
        guard !record.blocksPublicAccess else { throw OSSError.accessDenied("Public access is blocked for this bucket.") }
        guard try await !storage.accountBlocksPublicAccess(user: record.owner) else {
            throw OSSError.accessDenied("Public access is blocked for this account.")
        }
        return record.acl
    }

    /// The object's ACL, or `nil` when there is no such object.
    private func objectACL(bucket: String, key: String, versionID: String?) async throws(StorageError) -> OSSObjectACL? {
        do throws(StorageError) {
            return try await storage.objectACL(bucket: bucket, key: key, versionID: versionID).attributes.acl
        } catch .noSuchKey, .deleteMarker, .noSuchVersion, .invalidVersionID {
            return nil
        }
    }

    /// The ACLs a read of `key` must pass: the object's, and for a symlink the link's and the
    /// target's (only the link's when it dangles); none for a missing key.
    private func readACLs(bucket: String, key: String, versionID: String?) async throws -> [OSSObjectACL] {
        let resolved: (object: ObjectRecord, link: ObjectRecord?)
        do {
            resolved = try await storage.resolve(bucket: bucket, key: key, versionID: versionID)
        } catch let error as StorageError {
            switch error {
            case .noSuchKey, .deleteMarker, .noSuchVersion, .invalidVersionID: return []
            case .symlinkTargetNotExist:
                return [try await storage.symlink(bucket: bucket, key: key, versionID: versionID).attributes.acl]
            default: throw error
            }
        }
        return [resolved.link?.attributes.acl, resolved.object.attributes.acl].compactMap { $0 }
    }

    /// An object's ACL as it applies: `default` is the bucket's.
    static func effectiveACL(object: OSSObjectACL, bucket: OSSBucketACL) -> OSSBucketACL {
        switch object {
        case .private: .private
        case .publicRead: .publicRead
        case .publicReadWrite: .publicReadWrite
        case .default: bucket
        }
    }

    static func require(_ acl: OSSBucketACL, allows permission: Permission) throws(OSSError) {
        let allowed = switch permission {
        case .read: acl != .private
        case .write: acl == .publicReadWrite
        }
        guard allowed else { throw OSSError.accessDenied() }
    }

    /// The id of the user who signed; service operations have no anonymous form.
    static func user(_ call: OSSCall) throws(OSSError) -> String {
        guard let principal = call.principal else { throw OSSError.anonymousAccessForbidden() }
        return principal.userID
    }

    static func bucket(of call: OSSCall) throws(OSSError) -> String {
        guard let bucket = call.bucket else { throw OSSError.anonymousAccessForbidden() }
        return bucket
    }

    static func key(of call: OSSCall) throws(OSSError) -> String {
        guard let key = call.key else { throw OSSError.anonymousAccessForbidden() }
        return key
    }
}
