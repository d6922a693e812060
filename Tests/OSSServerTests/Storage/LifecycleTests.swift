import Foundation
import NIOConcurrencyHelpers
import OSSProtocol
import Testing

@testable import OSSServer

/// Sets `bkt`'s lifecycle rules from a document body.
private func setRules(_ storage: ObjectStorage, _ rules: String, bucket: String = "bkt") async throws {
    let configuration = try OSSLifecycleConfiguration(
        parsing: Array("<LifecycleConfiguration>\(rules)</LifecycleConfiguration>".utf8))
    try await storage.setLifecycle(bucket, configuration.xml)
}

private func keys(_ storage: ObjectStorage) async throws -> [String] {
    try await storage.listObjects(bucket: "bkt", query: ObjectListQuery(maxKeys: 1000)).objects.map(\.key)
}

private let day: Double = 86_400

/// The start of the day after `date` (UTC), from which OSS counts `Days`.
private func nextMidnight(after date: Date) -> Date {
    Date(timeIntervalSince1970: (date.timeIntervalSince1970 / day).rounded(.up) * day)
}

@Suite("Lifecycle rules applied by the background pass, with a clock the tests set")
struct LifecycleTests {
    @Test("Days count from the next midnight after Last-Modified; only keys under the prefix expire")
    func expiryByDays() async throws {
        try await withStorage { storage, directory in
            let old = try await put(storage, "logs/a", testBytes(70_000))
            _ = try await put(storage, "logs/b", [1])
            _ = try await put(storage, "keep/c", [2])
            try await setRules(storage, "<Rule><ID>logs</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>")
            let due = nextMidnight(after: old.lastModified).addingTimeInterval(2 * day)

            var report = try await storage.applyLifecycle(now: due.addingTimeInterval(-1))
            #expect(report.expired == 0 && report.buckets == 1)
            #expect(try await keys(storage) == ["keep/c", "logs/a", "logs/b"])
            report = try await storage.applyLifecycle(now: due)
            #expect(report.expired == 2)
            #expect(try await keys(storage) == ["keep/c"])
            #expect(try await eventually { try blobFiles(directory).count == 1 })
            // Nothing left to do: a second pass changes nothing.
            #expect(try await storage.applyLifecycle(now: due).expired == 0)
        }
    }

    @Test("CreatedBeforeDate, the legacy Date, disabled rules, tags, size bounds and Not exclusions")
    func conditions() async throws {
        try await withStorage { storage, _ in
            let now = Date()
            _ = try await put(storage, "a/old", [1])
            _ = try await put(storage, "b/tagged", [1], attributes: ObjectAttributes(tags: ["env": "tmp"]))
            _ = try await put(storage, "b/untagged", [1])
            _ = try await put(storage, "c/small", [1])
            _ = try await put(storage, "c/big", testBytes(5000))
            _ = try await put(storage, "d/x", [1])
            _ = try await put(storage, "d/keep/y", [1])
            _ = try await put(storage, "e/z", [1])
            let tomorrow = OSSDateFormat.iso8601(nextMidnight(after: now))
            try await setRules(
                storage,
                """
                <Rule><ID>created</ID><Prefix>a/</Prefix><Status>Enabled</Status><Expiration><CreatedBeforeDate>\(tomorrow)</CreatedBeforeDate></Expiration></Rule>
                <Rule><ID>tags</ID><Prefix>b/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><Tag><Key>env</Key><Value>tmp</Value></Tag></Rule>
                <Rule><ID>size</ID><Prefix>c/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><Filter><ObjectSizeGreaterThan>1000</ObjectSizeGreaterThan></Filter></Rule>
                <Rule><ID>not</ID><Prefix>d/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><Filter><Not><Prefix>d/keep/</Prefix></Not></Filter></Rule>
                <Rule><ID>off</ID><Prefix>e/</Prefix><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>
                """)
            // Before any day has passed, only the CreatedBeforeDate rule applies.
            #expect(try await storage.applyLifecycle(now: now).expired == 1)
            #expect(try await keys(storage) == ["b/tagged", "b/untagged", "c/big", "c/small", "d/keep/y", "d/x", "e/z"])
            #expect(try await storage.applyLifecycle(now: now.addingTimeInterval(3 * day)).expired == 3)
            #expect(try await keys(storage) == ["b/untagged", "c/small", "d/keep/y", "e/z"])

            // The legacy Date: from that moment on, every matching object expires.
            try await setRules(storage, "<Rule><ID>date</ID><Prefix>e/</Prefix><Status>Enabled</Status><Expiration><Date>\(tomorrow)</Date></Expiration></Rule>")
            #expect(try await storage.applyLifecycle(now: now).expired == 0)
            #expect(try await storage.applyLifecycle(now: nextMidnight(after: now)).expired == 1)
            #expect(try await keys(storage) == ["b/untagged", "c/small", "d/keep/y"])
        }
    }

    @Test("versioned: expiry leaves a delete marker, noncurrent versions go after their days, then the lone marker")
    func versionedBuckets() async throws {
        try await withStorage { storage, directory in
            try await storage.setVersioning("bkt", .enabled)
            let first = try await put(storage, "k", testBytes(10_000, seed: 1))
            let second = try await put(storage, "k", testBytes(10_000, seed: 2))
            try await setRules(
                storage,
                """
                <Rule><ID>current</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
                <Rule><ID>noncurrent</ID><Prefix>k</Prefix><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration></Rule>
                """, allowOverlap: true)
            let oneDay = nextMidnight(after: second.lastModified).addingTimeInterval(day)
            var report = try await storage.applyLifecycle(now: oneDay)
            #expect(report.expired == 1 && report.noncurrentExpired == 0)
            await #expect(throws: StorageError.self) { try await storage.objectInfo(bucket: "bkt", key: "k") }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k", versionID: second.versionID) == second)

            // A marker with versions behind it stays; noncurrent versions go their days after they
            // were replaced (the first by the second, the second by the marker, the same day).
            try await setRules(
                storage,
                """
                <Rule><ID>cleanup</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration><NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration></Rule>
                """)
            report = try await storage.applyLifecycle(now: oneDay)
            #expect(report.noncurrentExpired == 0 && report.deleteMarkersRemoved == 0)
            #expect(try await storage.listObjectVersions(bucket: "bkt").versions.count == 3)
            let replaced = nextMidnight(after: Date()).addingTimeInterval(3 * day)
            report = try await storage.applyLifecycle(now: replaced.addingTimeInterval(-1))
            #expect(report.noncurrentExpired == 0)
            report = try await storage.applyLifecycle(now: replaced)
            #expect(report.noncurrentExpired == 2 && report.deleteMarkersRemoved == 0)
            let left = try await storage.listObjectVersions(bucket: "bkt").versions
            #expect(left.count == 1 && left[0].isDeleteMarker && left[0].isLatest)
            #expect(try await eventually { try blobFiles(directory).isEmpty })
            _ = first

            // Now no version is behind the marker: ExpiredObjectDeleteMarker removes it.
            report = try await storage.applyLifecycle(now: replaced)
            #expect(report.deleteMarkersRemoved == 1)
            #expect(try await storage.listObjectVersions(bucket: "bkt").versions.isEmpty)
            try await storage.deleteBucket("bkt")
        }
    }

    @Test("unfinished multipart uploads are aborted their days after initiation")
    func abortsUploads() async throws {
        try await withStorage { storage, directory in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "tmp/big")
            _ = try await storage.uploadPart(bucket: "bkt", key: "tmp/big", uploadID: upload.uploadID, partNumber: 1, body: TestBody(testBytes(1000)))
            let kept = try await storage.initiateMultipartUpload(bucket: "bkt", key: "other/big")
            try await setRules(storage, "<Rule><ID>abort</ID><Prefix>tmp/</Prefix><Status>Enabled</Status><AbortMultipartUpload><Days>1</Days></AbortMultipartUpload></Rule>")
            let due = nextMidnight(after: upload.initiated).addingTimeInterval(day)
            #expect(try await storage.applyLifecycle(now: due.addingTimeInterval(-1)).uploadsAborted == 0)
            #expect(try await storage.applyLifecycle(now: due).uploadsAborted == 1)
            #expect(try await storage.listMultipartUploads(bucket: "bkt").uploads.map(\.uploadID) == [kept.uploadID])
            #expect(try await eventually { try blobFiles(directory).isEmpty })
        }
    }

    @Test("an expiry judged on an object never deletes the one a client wrote after it")
    func expiryRacesWithWrites() async throws {
        try await withStorage { storage, _ in
            let judged = try await put(storage, "k", [1])
            let fresh = try await put(storage, "k", [2])
            let stale = ObjectDeletion(key: "k", onlyIfLatest: VersionStamp(lastModified: judged.lastModified, etag: judged.etag))
            #expect(try await storage.deleteObjects(bucket: "bkt", [stale]).map(\.applied) == [false])
            #expect(try await read(storage, "k") == [2])
            let current = ObjectDeletion(key: "k", onlyIfLatest: VersionStamp(lastModified: fresh.lastModified, etag: fresh.etag))
            #expect(try await storage.deleteObjects(bucket: "bkt", [current]).map(\.applied) == [true])

            try await storage.setVersioning("bkt", .enabled)
            let version = try await put(storage, "v", [3])
            // A noncurrent expiry of a version that is current again is refused too.
            let noncurrent = ObjectDeletion(key: "v", versionID: version.versionID, onlyIfNoncurrent: true)
            #expect(try await storage.deleteObjects(bucket: "bkt", [noncurrent]).map(\.applied) == [false])
            #expect(try await read(storage, "v") == [3])
        }
    }

    @Test("a pass stopped midway leaves every object whole, and the next pass finishes the work")
    func interruptedPass() async throws {
        try await withStorage { storage, _ in
            for index in 0..<2500 { _ = try await put(storage, String(format: "x/%05d", index), [UInt8(index & 0xFF)]) }
            try await setRules(storage, "<Rule><ID>x</ID><Prefix>x/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>")
            let later = Date().addingTimeInterval(3 * day)
            let ended = NIOLockedValueBox(false)
            let pass = Task {
                defer { ended.withLockedValue { $0 = true } }
                return try await storage.applyLifecycle(now: later)
            }
            // Stop it once the first page (1,000 objects, one transaction) has gone; a pass that
            // failed before that ends the wait too (and the test, below).
            while !ended.withLockedValue({ $0 }),
                try await storage.listObjects(bucket: "bkt", query: ObjectListQuery(maxKeys: 1000)).objects.first?.key == "x/00000"
            {
                try await Task.sleep(for: .milliseconds(5))
            }
            pass.cancel()
            _ = try? await pass.value
            var remaining: [String] = []
            var marker: String?
            repeat {
                let page = try await storage.listObjects(bucket: "bkt", query: ObjectListQuery(marker: marker, maxKeys: 1000))
                remaining += page.objects.map(\.key)
                marker = page.isTruncated ? page.nextMarker : nil
            } while marker != nil
            #expect(remaining.count < 2500)
            for key in remaining.prefix(20) {
                let index = Int(key.dropFirst(2))!
                #expect(try await read(storage, key) == [UInt8(index & 0xFF)])
            }
            let report = try await storage.applyLifecycle(now: later)
            #expect(report.expired == remaining.count)
            #expect(try await keys(storage).isEmpty)
        }
    }
}

private func setRules(_ storage: ObjectStorage, _ rules: String, allowOverlap: Bool) async throws {
    let configuration = try OSSLifecycleConfiguration(
        parsing: Array("<LifecycleConfiguration>\(rules)</LifecycleConfiguration>".utf8), allowSameActionOverlap: allowOverlap)
    try await storage.setLifecycle("bkt", configuration.xml)
}

@Suite("Bucket cache")
struct BucketCacheTests {
    @Test("a document read before a change is not remembered after it")
    func staleReadsAreDropped() {
        let cache = BucketCache<String?>()
        #expect(cache.value("b") == nil)
        let before = cache.epoch
        // A change commits while a reader holds the old document…
        cache.forget("b")
        cache.remember("b", "<old/>", readAt: before)
        #expect(cache.value("b") == nil, "the old document must not come back")
        // …and a read begun after it is kept.
        cache.remember("b", "<new/>", readAt: cache.epoch)
        #expect(cache.value("b") == .some("<new/>"))
        cache.remember("c", nil, readAt: cache.epoch)
        #expect(cache.value("c") == .some(nil))
    }

    @Test("a full cache starts over instead of growing")
    func capacityBoundsTheEntries() {
        let cache = BucketCache<String>(capacity: 2)
        cache.remember("a", "1", readAt: cache.epoch)
        cache.remember("b", "2", readAt: cache.epoch)
        cache.remember("c", "3", readAt: cache.epoch)
        #expect(cache.value("a") == nil)
        #expect(cache.value("b") == nil)
        #expect(cache.value("c") == "3")
    }
}
