import Foundation
import OSSProtocol

/// Who may do what: a bucket's owner may do everything to it; anyone else, signed or not, what
/// the bucket's policy allows, else what the ACLs grant everyone (``requireACL(_:bucket:key:versionID:)``);
/// a Deny statement of the policy wins over both. Service operations (ListBuckets, the account's
/// Block Public Access) act on the signer's own account; anonymous callers have none.
///
/// The owner is never judged by its own policy, as an Alibaba Cloud account is not by its
/// buckets' policies: a policy cannot lock its owner out. Temporary credentials issued with a
/// session policy may in addition do only what that policy allows, on anyone's bucket.
extension OSSHandlers {
    /// Who a request acts for.
    enum Caller: Sendable, Hashable {
        case anonymous
        /// A signed request, by the user with this id.
        case user(String)
    }

    /// Who asks and the circumstances a policy's conditions may test.
    struct Requester: Sendable {
        var caller: Caller
        /// The session policy of the temporary credentials that signed, if any.
        var session: OSSBucketPolicy?
        var time: Date
        private let call: OSSCall

        init(_ call: OSSCall) {
            caller = call.principal.map { .user($0.userID) } ?? .anonymous
            session = call.principal?.sessionPolicy
            time = Date()
            self.call = call
        }

        /// The values conditions test; gathered only when a policy is evaluated, which the
        /// owner's requests never need.
        var values: [OSSPolicyCondition.Key: String] {
            var values: [OSSPolicyCondition.Key: String] = [:]
            values[.sourceIP] = call.context.channel.remoteAddress?.ipAddress
            // TLS is not served yet: every request came in the clear.
            values[.secureTransport] = "false"
            values[.prefix] = call.query("prefix")
            values[.delimiter] = call.query("delimiter")
            values[.userAgent] = call.header("user-agent")
            values[.referer] = call.header("referer")
            return values
        }

        /// The same circumstances for another signer (of a PostObject form).
        func acting(as principal: OSSPrincipal) -> Requester {
            var requester = self
            requester.caller = .user(principal.userID)
            requester.session = principal.sessionPolicy
            return requester
        }
    }

    /// Throws 403 `AccessDenied` unless the caller may run `operation`; throws `NoSuchBucket` for
    /// a missing bucket, as OSS answers any caller.
    func authorize(_ call: OSSCall, for operation: OSSOperation) async throws {
        let requester = Requester(call)
        let versioned = Self.versionID(call) != nil
        switch operation.access {
        case .owner:
            // PutBucket answers for a bucket that exists itself (409 unless it is the caller's);
            // service operations act on the signer's own account.
            guard let bucket = call.bucket, operation != .createBucket else {
                _ = try Self.user(call)
                try await requireSession(requester, operation.policyAction(versioned: false), bucket: call.bucket, key: nil)
                return
            }
            try await requireSession(requester, operation.policyAction(versioned: versioned), bucket: bucket, key: nil)
            guard let action = operation.policyAction(versioned: versioned),
                try await isGranted(requester, action, bucket: bucket, key: nil)
            else {
                throw requester.caller == .anonymous ? OSSError.anonymousAccessForbidden() : OSSError.notBucketOwner()
            }
        case .form, .anyone, .readOpenedObject, .eachObject:
            // PostObject authenticates through its form, which only the handler reads; a
            // preflight is answered by the bucket's CORS rules; GET and HEAD check the object
            // they open (``authorizeRead(_:of:bucket:key:versionID:)``), DeleteMultipleObjects
            // each object it names.
            return
        case .readBucket, .writeBucket:
            let bucket = try Self.bucket(of: call)
            try await requireSession(requester, operation.policyAction(versioned: versioned), bucket: bucket, key: nil)
            guard let action = operation.policyAction(versioned: versioned),
                try await !isGranted(requester, action, bucket: bucket, key: nil)
            else { return }
            try Self.require(try await publicBucketACL(bucket), allows: operation.access == .writeBucket ? .write : .read)
        case .readObject, .writeObject:
            try await authorize(
                requester, operation.access == .readObject ? .read : .write, operation.policyAction(versioned: versioned),
                bucket: try Self.bucket(of: call), key: try Self.key(of: call), versionID: Self.versionID(call))
            if operation.copiesFromSource {
                let source = try Self.copySource(call)
                try await authorize(
                    requester, .read, OSSOperation.getObject.policyAction(versioned: source.versionID != nil),
                    bucket: source.bucket, key: source.key, versionID: source.versionID)
            }
        }
    }

    /// Passes the bucket's owner and whom the policy allows `action` on `bucket`/`key`; checks
    /// the ACLs for anyone else. Throws `AccessDenied` for a Deny statement or an ACL that does
    /// not allow `permission`.
    func authorize(
        _ requester: Requester, _ permission: Permission, _ action: String?, bucket: String, key: String,
        versionID: String? = nil
    ) async throws {
        try await requireSession(requester, action, bucket: bucket, key: key)
        if let action, try await isGranted(requester, action, bucket: bucket, key: key) {
            if permission == .read, try await !owns(requester, bucket) {
                try await authorizeLinkTarget(requester, action, bucket: bucket, key: key, versionID: versionID)
            }
            return
        }
        try await requireACL(permission, bucket: bucket, key: key, versionID: versionID)
        if permission == .read {
            try await authorizeLinkTarget(requester, action, bucket: bucket, key: key, versionID: versionID)
        }
    }

    /// A read through a symlink reaches its target, so someone other than the owner needs the
    /// target allowed too (a Deny on it applies; a grant on the link alone is not enough):
    /// otherwise a link made where one may write would read what one may not.
    private func authorizeLinkTarget(
        _ requester: Requester, _ action: String?, bucket: String, key: String, versionID: String?
    ) async throws {
        guard let resolved = try? await storage.resolve(bucket: bucket, key: key, versionID: versionID, withSegments: false),
            resolved.link != nil, resolved.object.key != key
        else { return }
        try await authorize(requester, .read, action, bucket: bucket, key: resolved.object.key)
    }

    /// Whether the requester owns the bucket. Throws `noSuchBucket`.
    private func owns(_ requester: Requester, _ bucket: String) async throws -> Bool {
        guard case .user(let user) = requester.caller else { return false }
        return try await storage.bucketOwner(bucket) == user
    }

    /// For GET and HEAD: passes the owner and whom the policy allows; for anyone else checks the
    /// ACLs of the object opened (and of the symlink read through); when opening failed, the
    /// same check on what exists, so that a missing key or a dangling link is 403 where the ACLs
    /// do not allow reading, and a stranger learns nothing of a private bucket.
    func authorizeRead(
        _ requester: Requester, of opening: () async throws -> OpenedObject, bucket: String, key: String,
        versionID: String?
    ) async throws -> OpenedObject {
        let action = OSSOperation.getObject.policyAction(versioned: versionID != nil)
        try await requireSession(requester, action, bucket: bucket, key: key)
        if let action, try await isGranted(requester, action, bucket: bucket, key: key) {
            let opened = try await opening()
            if opened.symlink != nil, opened.record.key != key, try await !owns(requester, bucket) {
                // The target, which is what is read, must be allowed too.
                try await authorize(requester, .read, action, bucket: bucket, key: opened.record.key)
            }
            return opened
        }
        let opened: OpenedObject
        do {
            opened = try await opening()
        } catch let error as StorageError {
            try await requireACL(.read, bucket: bucket, key: key, versionID: versionID)
            throw error
        }
        let bucketACL = try await publicBucketACL(bucket)
        for objectACL in [opened.symlink?.attributes.acl, opened.record.attributes.acl].compactMap({ $0 }) {
            try Self.require(Self.effectiveACL(object: objectACL, bucket: bucketACL), allows: .read)
        }
        if opened.symlink != nil, opened.record.key != key {
            // The ACLs of both passed; the policy (a Deny) and a session policy judge the target too.
            try await requireSession(requester, action, bucket: bucket, key: opened.record.key)
            if let action { _ = try await isGranted(requester, action, bucket: bucket, key: opened.record.key) }
        }
        return opened
    }

    /// Whether the requester may run `action` on the bucket (`key` `nil`) or one of its objects
    /// without asking the ACLs: it owns the bucket, or a statement of the bucket's policy allows
    /// it. Throws `AccessDenied` when a statement denies it, `noSuchBucket` for a missing bucket.
    func isGranted(_ requester: Requester, _ action: String, bucket: String, key: String?) async throws -> Bool {
        let owner = try await storage.bucketOwner(bucket)
        if case .user(let user) = requester.caller, user == owner { return true }
        guard let policy = try await storage.bucketPolicy(bucket) else { return false }
        var request = OSSPolicyRequest(
            principal: { if case .user(let user) = requester.caller { user } else { nil } }(), action: action,
            resource: "acs:oss:*:\(owner):\(bucket)" + (key.map { "/" + $0 } ?? ""), values: requester.values,
            time: requester.time, blocksPublicGrants: false)
        var decision = policy.decision(for: request)
        // Block Public Access takes away what statements for everyone grant; it is looked up only
        // when such a statement is what allows.
        if case .allow(let number) = decision, policy.statements[number - 1].isPublic, try await blocksPublicAccess(bucket) {
            request.blocksPublicGrants = true
            decision = policy.decision(for: request)
        }
        switch decision {
        case .deny(let number):
            logger.debug("denied by statement \(number) of the policy of bucket \(bucket): \(action)")
            throw OSSError.deniedByBucketPolicy()
        case .allow: return true
        case .none: return false
        }
    }

    /// Temporary credentials with a session policy may run only what it allows (and what their
    /// user may run besides); throws `AccessDenied` otherwise. `bucket` `nil`: a service
    /// operation, whose resource is `acs:oss:*:*:*`.
    func requireSession(_ requester: Requester, _ action: String?, bucket: String?, key: String?) async throws {
        guard let session = requester.session, let action else { return }
        var resource = "acs:oss:*:*:*"
        if let bucket {
            // A bucket yet to be made (PutBucket) has no owner to name.
            let owner = (try? await storage.bucketOwner(bucket)) ?? "*"
            resource = "acs:oss:*:\(owner):\(bucket)" + (key.map { "/" + $0 } ?? "")
        }
        let request = OSSPolicyRequest(
            principal: nil, action: action, resource: resource, values: requester.values, time: requester.time,
            blocksPublicGrants: false)
        guard case .allow = session.decision(for: request) else {
            logger.debug("denied by the session policy of temporary credentials: \(action) on \(resource)")
            throw OSSError.accessDenied("You have no right to access this object because of the session policy.")
        }
    }

    /// Whether Block Public Access is on for the bucket or its owner's account.
    private func blocksPublicAccess(_ bucket: String) async throws -> Bool {
        let record = try await storage.bucket(bucket)
        if record.blocksPublicAccess { return true }
        return try await storage.accountBlocksPublicAccess(user: record.owner)
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
