import OSSProtocol

/// What the ACLs grant everyone, the bucket's owner aside (§2.7): an object ACL of `default`
/// inherits its bucket's; `public-read` allows reads (GET, HEAD, listings), `public-read-write`
/// writes too; everything else is 403 `AccessDenied`. While Block Public Access is on for the
/// bucket or its owner's account, no ACL grants anything.
extension OSSHandlers {
    /// The permission a caller other than the bucket's owner needs.
    enum Permission {
        case read, write
    }

    /// Checks the effective ACL of `bucket`/`key` (the version `versionID` names, or the latest)
    /// for someone other than the bucket's owner: the object's own unless it is `default` or
    /// there is no such object (a missing key or version, a delete marker), then the bucket's. A
    /// read through a symlink also needs the target's. What is missing is reported only to
    /// callers the bucket lets read.
    func requireACL(_ permission: Permission, bucket: String, key: String, versionID: String?) async throws {
        let bucketACL = try await publicBucketACL(bucket)
        let objectACLs = switch permission {
        case .write: try await objectACL(bucket: bucket, key: key, versionID: versionID).map { [$0] } ?? []
        case .read: try await readACLs(bucket: bucket, key: key, versionID: versionID)
        }
        for objectACL in objectACLs.isEmpty ? [OSSObjectACL.default] : objectACLs {
            let effective = Self.effectiveACL(object: objectACL, bucket: bucketACL)
            do {
                try Self.require(effective, allows: permission)
            } catch {
                // At debug level only: the reason helps an operator, not a prober.
                logger.debug("denied by the ACL: \(permission) of \(bucket)/\(key) needs more than \(effective.rawValue)")
                throw error
            }
        }
    }

    /// The bucket's ACL as everyone but its owner meets it: 403 at once while Block Public
    /// Access is on for the bucket or its owner's account, since public ACLs, the bucket's or an
    /// object's, then grant nothing.
    func publicBucketACL(_ bucket: String) async throws -> OSSBucketACL {
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
            resolved = try await storage.resolve(bucket: bucket, key: key, versionID: versionID, withSegments: false)
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
}
