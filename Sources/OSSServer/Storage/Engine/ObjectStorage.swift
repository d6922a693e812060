import Foundation
import Logging
import OSSProtocol

/// The storage engine the HTTP handlers call: buckets, objects, multipart uploads, appends,
/// copies, symlinks, tags and ACLs, with every byte checked by CRC-64 and MD5 on the way in and
/// CRC-64 on the way out.
///
/// Guarantees:
/// - A write returns only after its bytes were fsynced, renamed into place and its metadata
///   committed with `synchronous = FULL`: an acknowledged write survives `kill -9` and power loss.
/// - A write that fails, or is cut off by a crash before it returns, is never visible, not even
///   partly.
/// - Overwrites and deletes swap metadata in one transaction; the replaced bytes are deleted only
///   after the commit, only once no object, part or copy refers to them, and only once no reader
///   still streams them.
/// - Start-up recovery removes what a crash can leave behind: temporary files and blobs no
///   metadata refers to.
///
/// One data directory belongs to one `ObjectStorage` at a time (an advisory lock enforces it).
struct ObjectStorage: Sendable {
    let configuration: StorageConfiguration
    let metadata: any MetadataStore
    let blobs: any BlobStore
    let leases: BlobLeases
    /// Reads and copies refused because stored bytes failed their CRC-64.
    let damage = DamageCounter()
    /// Referer rules, read by every anonymous request and presigned URL.
    let refererRules: BucketCache<String?>
    /// Website configurations, read by every anonymous read.
    let websites: BucketCache<String?>
    /// Logging configurations, read by every request (to log it or not).
    let loggingRules: BucketCache<String?>
    /// Users, keys and temporary credentials.
    var identities: Identities { Identities(metadata: metadata, owner: owner) }
    /// Bucket records (owner, ACL, Block Public Access, CORS rules, …), read by nearly every
    /// request.
    let records: BucketCache<BucketRecord>
    /// Users' account-wide Block Public Access, by user id, read by every request that an ACL
    /// may allow.
    let accountBlocks: BucketCache<Bool>
    /// Bucket policies, parsed, read by every request from someone other than the owner.
    let policies: BucketCache<OSSBucketPolicy?>
    /// The first user: it owns what existed before users did, and the server's own key pair
    /// signs for it.
    let owner: UserRecord
    /// Space held back for deletes on a full disk.
    let reserve: DiskReserve
    let logger: Logger
    /// What start-up recovery found and removed.
    let recovery: RecoveryReport
    /// This server among those that share its metadata; `nil` for a server of its own.
    let node: SharedNode?
    /// The durations of fsyncs and metadata commits, for whoever reports them.
    let timings: StorageTimings
    /// Held open for the lifetime of the engine: its `flock` keeps a second server out.
    private let directoryLock: BlobFile

    /// Opens the data directory at `directory` (creating it if needed), takes its lock, migrates
    /// the metadata and runs crash recovery. Call it before serving any request.
    ///
    /// - Parameters:
    ///   - metadata: where metadata lives; SQLite in the data directory by default.
    ///   - blobStore: where object bytes go; blob files under the data directory by default.
    static func open(
        directory: String,
        configuration: StorageConfiguration = StorageConfiguration(),
        logger: Logger = Logger(label: "swift-oss.storage"),
        metadata backend: OSSMetadataBackend = .sqlite,
        blobStore: (any BlobStore)? = nil
    ) async throws(StorageError) -> ObjectStorage {
        let timings = StorageTimings()
        // Blob files under the data folder unless another store is given.
        let files = blobStore == nil ? FileBlobStore(root: directory, timings: timings) : nil
        var blobs: any BlobStore = blobStore ?? files!
        let (lock, opened) = try await BlockingIO.run { () throws(StorageError) -> (BlobFile, (any MetadataStore)?) in
            if try FileSystem.makeDirectory(directory) {
                // The directory entry itself must survive a crash along with everything in it.
                let parent = directory.lastIndex(of: "/").map { String(directory[..<$0]) } ?? "."
                try FileSystem.synchronizeDirectory(parent.isEmpty ? "/" : parent)
            }
            let lock = try BlobFile.openOrCreate(directory + "/LOCK")
            guard try lock.tryLock() else { throw StorageError.dataDirectoryInUse(path: directory) }
            // Whoever held it before is gone; a server says so once it can take SIGHUP.
            try lock.replaceContents("\(getpid())\n")
            try files?.prepare()
            guard case .sqlite = backend else { return (lock, nil) }
            return (lock, try SQLiteMetadataStore(path: directory + "/metadata.sqlite", timings: timings))
        }
        let metadata: any MetadataStore
        switch (backend, opened) {
        case (.postgres(let settings), _): metadata = try await PostgresMetadataStore.open(settings, timings: timings, logger: logger)
        case (.sqlite, let store?): metadata = store
        case (.sqlite, nil): preconditionFailure("SQLite is opened with the data directory")
        }
        let reserve = DiskReserve(path: directory + "/reserve", size: configuration.diskReserve)
        if !((try? await BlockingIO.run { reserve.ensure() }) ?? false) {
            logger.warning("no room for the \(configuration.diskReserve >> 20) MiB disk reserve in \(directory): on a full disk, deletes may fail")
        }
        var node: SharedNode?
        if let shared = metadata as? any SharedMetadataStore {
            let member = SharedNode(id: UUID().uuidString.lowercased(), started: now())
            try await shared.heartbeat(node: member.id, startedAt: member.started)
            blobs = SharedBlobStore(base: blobs, metadata: shared, node: member.id, deletionGrace: configuration.deletionGrace)
            node = member
        }
        let recovery = try await RecoveryReport.recover(blobs: blobs, metadata: metadata, logger: logger)
        let owner = try await metadata.bootstrapOwner(UserRecord(id: UserRecord.newID(), name: "owner", created: now()))
        let shared = metadata.isShared
        return ObjectStorage(
            configuration: configuration, metadata: metadata, blobs: blobs,
            leases: BlobLeases(blobs: blobs, logger: logger), refererRules: BucketCache(shared: shared),
            websites: BucketCache(shared: shared), loggingRules: BucketCache(shared: shared),
            records: BucketCache(shared: shared), accountBlocks: BucketCache(shared: shared),
            policies: BucketCache(shared: shared), owner: owner, reserve: reserve, logger: logger,
            recovery: recovery, node: node, timings: timings, directoryLock: lock
        )
    }

    /// Notes in the data folder's lock file that a server holds it, and its process id, so that
    /// admin commands run beside it can tell it to reload users and keys (SIGHUP). Call it once
    /// the server handles SIGHUP: the signal's default action ends a process.
    func announceServer() throws(StorageError) {
        try directoryLock.replaceContents("\(getpid()) server\n")
    }

    /// The process id of the server holding the data folder, `nil` when none does (the folder is
    /// free, or another command holds it).
    static func runningServer(in directory: String) throws(StorageError) -> Int32? {
        guard FileManager.default.fileExists(atPath: directory + "/LOCK") else { return nil }
        let lock = try BlobFile.openOrCreate(directory + "/LOCK")
        guard try !lock.tryLock() else { return nil }
        let words = try lock.contents().split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[1] == "server", let pid = Int32(words[0]), pid > 0 else { return nil }
        return pid
    }

    // MARK: Buckets

    /// Creates a bucket. Throws `bucketAlreadyExists`. Name rules are the caller's (§3.3): storage
    /// never uses names as paths.
    func createBucket(
        _ name: String, owner: String? = nil, acl: OSSBucketACL = .private, storageClass: OSSStorageClass = .standard,
        location: String, dataRedundancy: OSSDataRedundancyType = .locallyRedundant
    ) async throws(StorageError) -> BucketRecord {
        let bucket = BucketRecord(
            name: name, creationDate: Self.now(), acl: acl, storageClass: storageClass, location: location,
            dataRedundancy: dataRedundancy, owner: owner ?? self.owner.id)
        // The request may have read the name as free.
        defer { RequestBucketReads.current?.forget(name) }
        try await metadata.createBucket(bucket)
        return bucket
    }

    /// Creates a bucket unless one of that name exists, which is left as it is. Returns the
    /// bucket as it is then, and whether this call created it.
    @discardableResult
    func createBucketIfMissing(
        _ name: String, owner: String? = nil, acl: OSSBucketACL = .private, storageClass: OSSStorageClass = .standard,
        location: String, dataRedundancy: OSSDataRedundancyType = .locallyRedundant
    ) async throws(StorageError) -> (bucket: BucketRecord, created: Bool) {
        do {
            let bucket = try await createBucket(
                name, owner: owner, acl: acl, storageClass: storageClass, location: location, dataRedundancy: dataRedundancy)
            return (bucket, true)
        } catch .bucketAlreadyExists {
            return (try await bucket(name), false)
        }
    }

    /// The bucket as stored, from memory once read (every change goes through this engine,
    /// which forgets the copy once it committed). Throws `noSuchBucket`.
    func bucket(_ name: String) async throws(StorageError) -> BucketRecord {
        if let reads = RequestBucketReads.current { return try await reads.bucket(name, from: metadata).record }
        if let cached = records.value(name) { return cached }
        let epoch = records.epoch
        let record = try await metadata.bucket(named: name)
        records.remember(name, record, readAt: epoch)
        return record
    }

    /// The id of the user who owns the bucket. Throws `noSuchBucket`.
    func bucketOwner(_ name: String) async throws(StorageError) -> String {
        try await bucket(name).owner
    }

    /// GetBucketStat. Throws `noSuchBucket`.
    func bucketStatistics(_ name: String) async throws(StorageError) -> BucketStatistics {
        try await metadata.bucketStatistics(named: name)
    }

    /// Whether `name` exists; `true` when the metadata cannot tell (a request that failed
    /// authentication then keeps its own error).
    func bucketExists(_ name: String) async -> Bool {
        do {
            _ = try await bucket(name)
            return true
        } catch {
            if case .noSuchBucket = error { return false }
            return true
        }
    }

    /// Throws `noSuchBucket`, or `bucketNotEmpty` while objects or unfinished uploads remain.
    func deleteBucket(_ name: String) async throws(StorageError) {
        let metadata = self.metadata
        try await freeingSpace { () throws(StorageError) in
            try await metadata.deleteBucket(named: name)
            return []
        }
        // Its documents went with it, and the name is free for anyone.
        RequestBucketReads.current?.forget(name)
        refererRules.forget(name)
        websites.forget(name)
        loggingRules.forget(name)
        records.forget(name)
        policies.forget(name)
    }

    func listBuckets(_ query: BucketListQuery = BucketListQuery()) async throws(StorageError) -> BucketListing {
        try await metadata.listBuckets(query)
    }

    // MARK: Shared by the extensions

    /// The current time at the millisecond precision metadata keeps, so that a returned record
    /// equals the stored one.
    static func now() -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// Runs a transaction that frees space (deletes, aborts) and retires the blobs it released;
    /// on a full disk, gives up the disk reserve and tries once more, so that space can always be
    /// freed through the API. Afterwards the reserve is re-created once there is room for it.
    func freeingSpace(_ transaction: () async throws(StorageError) -> [BlobID]) async throws(StorageError) {
        let reserve = self.reserve
        let released: [BlobID]
        do {
            released = try await transaction()
        } catch let error where error.isDiskFull {
            guard (try? await BlockingIO.run { reserve.release() }) ?? false else { throw error }
            logger.error("the disk is full: gave up the \(reserve.size >> 20) MiB disk reserve so that deletes can free space")
            released = try await transaction()
        }
        await leases.retire(released)
        if reserve.needsCreating, (try? await BlockingIO.run { reserve.ensure() }) ?? false {
            logger.notice("disk reserve of \(reserve.size >> 20) MiB re-created")
        }
    }

    var stager: BlobStager {
        BlobStager(
            blobs: blobs, chunkSize: configuration.chunkSize, blockSize: configuration.blockSize,
            maxSize: configuration.maxObjectSize)
    }

    /// Publishes a staged blob and runs the metadata transaction that makes it visible; deletes
    /// the blob again if the transaction fails (with whatever error it threw), and retires the
    /// blobs the transaction released.
    func commit<T: Sendable>(
        _ staged: StagedBlob, _ transaction: () async throws -> (T, [BlobID])
    ) async throws -> T {
        // An inline body has no blob: the transaction alone makes it durable.
        if let writer = staged.writer {
            do {
                try await writer.publish()
            } catch {
                await writer.discard()
                throw error
            }
        }
        let (result, released): (T, [BlobID])
        do {
            (result, released) = try await transaction()
        } catch {
            if staged.inline == nil { await leases.retire([staged.blob]) }
            throw error
        }
        await leases.retire(released)
        return result
    }
}
