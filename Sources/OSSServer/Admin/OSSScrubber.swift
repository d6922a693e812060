import Foundation
import Logging

/// `oss scrub`: a scrub pass over a stopped server's data folder, and clearing a damage mark.
///
/// Offline because a running server deletes blobs as objects are overwritten, and a blob
/// deleted under a reader would be reported missing; beside a running server, its admin
/// listener starts a pass (`POST /scrub`).
public struct OSSScrubber: Sendable {
    let storage: ObjectStorage

    /// A problem to report in one line.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// An object version whose stored bytes are damaged, or a part of an unfinished upload.
    public struct Damaged: Sendable, Hashable {
        public let bucket: String
        public let key: String
        /// `null` for the null version; `upload ID part N` for a part.
        public let versionID: String
        public let reason: String
        /// Whether it is a part of an unfinished multipart upload (to upload again) rather than
        /// an object version.
        public let isPart: Bool
    }

    /// What a pass did.
    public struct Outcome: Sendable {
        public let blobs: Int
        public let bytes: Int
        /// Found by this pass.
        public let newlyDamaged: [Damaged]
        /// Every version marked damaged now, found by this pass or before.
        public let damaged: [Damaged]
    }

    /// Opens a stopped server's data folder (recovery runs, as at the server's start).
    public static func open(dataDirectory: URL) async throws -> OSSScrubber {
        let directory = dataDirectory.path
        guard let opened = await OfflineDataFolder.open(dataDirectory, label: "swift-oss.scrub") else {
            throw Failure(description: "there is no data folder at \(directory): name the server's folder with --data")
        }
        switch opened {
        case .success(let storage):
            return OSSScrubber(storage: storage)
        case .failure(.dataDirectoryInUse):
            throw Failure(
                description: "a server is running on \(directory): stop it first, or start a pass on the running server with POST /scrub on its admin listener (--admin-address)")
        case .failure(let error):
            throw Failure(description: error.description)
        }
    }

    /// Runs a pass (going on from where an unfinished one stopped), at most `bytesPerSecond`;
    /// `progress` hears the bytes read so far and the total to read.
    public func run(
        bytesPerSecond: Int?, progress: @escaping @Sendable (_ bytes: Int64) -> Void = { _ in }
    ) async throws -> Outcome {
        let report: ScrubReport
        let damaged: [DamagedObject]
        do throws(StorageError) {
            report = try await storage.scrub(
                ScrubOptions(bytesPerSecond: bytesPerSecond, progress: { report in progress(Int64(report.bytes)) }))
            damaged = try await storage.metadata.damagedObjects(limit: 10_000)
        } catch {
            throw Failure(description: error.description)
        }
        return Outcome(
            blobs: report.blobs, bytes: report.bytes, newlyDamaged: report.damaged.map(Self.damaged),
            damaged: damaged.map(Self.damaged))
    }

    /// The bytes the objects refer to in blob files: what a pass reads.
    public func bytesToRead() async throws -> Int64 {
        var total: Int64 = 0
        var position: BlobID?
        while true {
            let page = try await storage.metadata.scrubTargets(after: position, limit: 1000)
            guard let last = page.last else { return total }
            total += page.reduce(0) { $0 + Int64($1.size) }
            position = last.blob
        }
    }

    /// Clears the damage mark of every version of `key` in `bucket`, after its bytes were
    /// restored by hand; returns how many versions were marked.
    public func forget(bucket: String, key: String) async throws -> Int {
        let cleared: Int
        do throws(StorageError) {
            cleared = try await storage.metadata.forgetDamage(bucket: bucket, key: key)
        } catch {
            throw Failure(description: error.description)
        }
        return cleared
    }

    private static func damaged(_ object: DamagedObject) -> Damaged {
        Damaged(bucket: object.bucket, key: object.key, versionID: object.version, reason: object.reason, isPart: object.part != nil)
    }
}
