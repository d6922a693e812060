import Foundation
import OSSProtocol

/// What one lifecycle pass did.
struct LifecycleReport: Sendable, Hashable {
    /// Current objects expired (deleted, or hidden behind a delete marker with versioning).
    var expired = 0
    /// Noncurrent versions deleted for good.
    var noncurrentExpired = 0
    /// Delete markers removed because no version was left behind them.
    var deleteMarkersRemoved = 0
    /// Unfinished multipart uploads aborted.
    var uploadsAborted = 0
    /// Buckets whose rules were applied.
    var buckets = 0
}

extension ObjectStorage {
    /// Applies every bucket's lifecycle rules as they stand at `now` (see ``LifecyclePolicy`` for
    /// how time counts, with days of `day`).
    ///
    /// It works a page (1,000 versions or uploads) at a time, whatever the bucket holds, and
    /// each page's deletions are one metadata transaction. The pass is safe to stop anywhere
    /// (a crash, a shutdown) and to run again: every deletion is judged on a snapshot and applied
    /// only if it still holds (the latest version is still the object judged, a noncurrent
    /// version is still noncurrent), so an object a client writes meanwhile is never the one
    /// deleted, and the next pass finishes what this one did not reach.
    func applyLifecycle(now: Date, day: Duration = .seconds(86_400)) async throws -> LifecycleReport {
        var report = LifecycleReport()
        var marker: String?
        repeat {
            let page = try await listBuckets(BucketListQuery(marker: marker, maxKeys: 1000))
            for bucket in page.buckets {
                guard let document = bucket.lifecycle else { continue }
                let configuration: OSSLifecycleConfiguration
                do {
                    configuration = try OSSLifecycleConfiguration(parsing: Array(document.utf8), allowSameActionOverlap: true)
                } catch {
                    logger.error("lifecycle rules of bucket \(bucket.name) cannot be read, skipped: \(error)")
                    continue
                }
                let policy = LifecyclePolicy(configuration, now: now, day: day)
                guard !policy.isEmpty else { continue }
                report.buckets += 1
                do {
                    try await applyLifecycle(policy, to: bucket.name, report: &report)
                } catch StorageError.noSuchBucket {
                    continue  // deleted meanwhile
                }
            }
            marker = page.isTruncated ? page.nextMarker : nil
        } while marker != nil
        if report.expired + report.noncurrentExpired + report.deleteMarkersRemoved + report.uploadsAborted > 0 {
            logger.notice(
                "lifecycle: \(report.expired) objects expired, \(report.noncurrentExpired) noncurrent versions and \(report.deleteMarkersRemoved) delete markers removed, \(report.uploadsAborted) uploads aborted")
        }
        return report
    }

    private func applyLifecycle(_ policy: LifecyclePolicy, to bucket: String, report: inout LifecycleReport) async throws {
        var query = VersionListQuery(maxKeys: 1000)
        /// The entry before the current one in listing order: the next newer version of the same key.
        var previous: VersionSummary?
        /// A latest delete marker waiting to see whether an older version follows it.
        var loneMarker: VersionSummary?
        while true {
            let page = try await listObjectVersions(bucket: bucket, query: query)
            var deletions: [ObjectDeletion] = []
            var kinds: [WritableKeyPath<LifecycleReport, Int>] = []
            for entry in page.versions {
                let key = entry.object.key
                if let marker = loneMarker {
                    loneMarker = nil
                    if marker.object.key != key {
                        deletions.append(ObjectDeletion(key: marker.object.key, versionID: marker.versionID))
                        kinds.append(\.deleteMarkersRemoved)
                    }
                }
                let newer = previous?.object.key == key ? previous : nil
                previous = entry
                if entry.isDeleteMarker {
                    if entry.isLatest, policy.removesLoneDeleteMarker(key: key) { loneMarker = entry }
                    continue
                }
                if entry.isLatest {
                    let object = entry.object
                    let decision = try await decide(bucket: bucket, entry) { tags in
                        policy.expiresCurrent(key: key, size: object.size, lastModified: object.lastModified, tags: tags)
                    }
                    if decision {
                        deletions.append(
                            ObjectDeletion(key: key, onlyIfLatest: VersionStamp(lastModified: object.lastModified, etag: object.etag)))
                        kinds.append(\.expired)
                    }
                } else if let newer {
                    let since = newer.object.lastModified
                    let decision = try await decide(bucket: bucket, entry) { tags in
                        policy.expiresNoncurrent(key: key, size: entry.object.size, noncurrentSince: since, tags: tags)
                    }
                    if decision {
                        deletions.append(ObjectDeletion(key: key, versionID: entry.versionID, onlyIfNoncurrent: true))
                        kinds.append(\.noncurrentExpired)
                    }
                }
            }
            if !page.isTruncated, let marker = loneMarker {
                loneMarker = nil
                deletions.append(ObjectDeletion(key: marker.object.key, versionID: marker.versionID))
                kinds.append(\.deleteMarkersRemoved)
            }
            if !deletions.isEmpty {
                let outcomes = try await deleteObjects(bucket: bucket, deletions)
                for (outcome, kind) in zip(outcomes, kinds) where outcome.applied { report[keyPath: kind] += 1 }
            }
            guard page.isTruncated else { break }
            query.keyMarker = page.nextKeyMarker
            query.versionIDMarker = page.nextVersionIDMarker
        }
        try await abortUploads(policy, in: bucket, report: &report)
    }

    /// Asks `decide`, and again with the version's tags when a rule depends on them.
    private func decide(
        bucket: String, _ entry: VersionSummary, _ decide: ([String: String]?) -> LifecyclePolicy.Decision
    ) async throws -> Bool {
        switch decide(nil) {
        case .yes: return true
        case .no: return false
        case .needsTags:
            do {
                let object = try await metadata.object(bucket: bucket, key: entry.object.key, versionID: entry.versionID)
                return decide(object.attributes.tags) == .yes
            } catch {
                // `object` throws only StorageError.
                switch error {
                case .noSuchKey, .noSuchVersion, .deleteMarker: return false  // gone meanwhile
                default: throw error
                }
            }
        }
    }

    private func abortUploads(_ policy: LifecyclePolicy, in bucket: String, report: inout LifecycleReport) async throws {
        var query = UploadListQuery(maxUploads: 1000)
        while true {
            let page = try await listMultipartUploads(bucket: bucket, query: query)
            for upload in page.uploads where policy.abortsUpload(key: upload.key, initiated: upload.initiated) {
                do {
                    try await abortMultipartUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID)
                    report.uploadsAborted += 1
                } catch .noSuchUpload {
                    continue  // completed or aborted meanwhile
                }
            }
            guard page.isTruncated else { break }
            query.keyMarker = page.nextKeyMarker
            query.uploadIDMarker = page.nextUploadIDMarker
        }
    }
}
