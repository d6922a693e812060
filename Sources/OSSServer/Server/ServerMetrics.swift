import NIOConcurrencyHelpers
import Prometheus

/// What the admin listener's `GET /metrics` reports, in the Prometheus text format.
///
/// One registry per server, never the process-wide swift-metrics bootstrap: two servers in one
/// process (the tests run hundreds) each count their own requests. What is counted as it happens
/// (requests, bytes, CRC refusals, connections) is recorded by the code that sees it; what the
/// storage knows (objects and bytes per bucket, damaged reads) is read when the metrics are
/// scraped (``render(storage:)``).
///
/// The names, all prefixed `oss_`:
/// - `requests_total{operation,status}`: requests answered, by OSS operation (`PutObject`;
///   `Unrouted` for a request refused before its operation was known) and HTTP status.
/// - `request_duration_seconds{operation}`: from the request's head to the last byte of its answer.
/// - `received_bytes_total{operation}`, `sent_bytes_total{operation}`: body bytes.
/// - `crc_mismatches_total{caught}`: bytes whose CRC-64 did not match, by where they were caught:
///   `upload` (a client's declared `x-oss-hash-crc64ecma` refused: damage on the way in, nothing
///   stored), `read` (stored bytes that failed their CRC when read: damage at rest, refused) and
///   `scrub` (blobs the scrubber found damaged).
/// - `scrub_blobs_total`, `scrub_bytes_total`: what the scrubber has read.
/// - `damaged_objects`: object versions (and parts of unfinished uploads) marked damaged now,
///   read with the bucket figures.
/// - `open_connections`: client connections open now.
/// - `bucket_objects{bucket}`, `bucket_stored_bytes{bucket}`: current objects (delete markers not
///   counted) and their bytes, read from the metadata at most every ``statisticsInterval``.
/// - `fsync_duration_seconds{file}`: each `fsync` a write waits for, of a blob's data
///   (`file="blob"`) or of the directory it was published in (`file="directory"`).
/// - `metadata_commit_duration_seconds`: each metadata commit a write waits for (SQLite: one WAL
///   sync shared by a group of writes; PostgreSQL: `COMMIT` and its round trip).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// How old the per-bucket figures may be: counting a bucket's objects is a query over all
    /// of them, which a scrape every few seconds should not repeat.
    let statisticsInterval: Duration
    private let buckets = NIOLockedValueBox(BucketFigures())
    /// The last damaged-read count the storage reported, so that the counter moves by the difference.
    private let damageReported = NIOLockedValueBox((reads: 0, scrubbed: 0))
    private let connections: Gauge
    private let blobSyncs: DurationHistogram
    private let directorySyncs: DurationHistogram
    private let commits: DurationHistogram

    private struct BucketFigures {
        var refreshed: ContinuousClock.Instant?
        var gauges: [String: (objects: Gauge, bytes: Gauge)] = [:]
    }

    /// Where a CRC-64 mismatch was caught.
    enum CRCSite: String, CaseIterable {
        case upload
        case read
        case scrub
    }

    init(statisticsInterval: Duration = .seconds(30)) {
        self.statisticsInterval = statisticsInterval
        connections = registry.makeGauge(descriptor: Self.name("open_connections", help: "Client connections open now."))
        let fsync = Self.name("fsync_duration", unit: "seconds", help: "fsync calls a write waits for: of a blob's data, or of its directory.")
        blobSyncs = registry.makeDurationHistogram(descriptor: fsync, labels: [("file", "blob")], buckets: Self.syncBuckets)
        directorySyncs = registry.makeDurationHistogram(descriptor: fsync, labels: [("file", "directory")], buckets: Self.syncBuckets)
        commits = registry.makeDurationHistogram(
            descriptor: Self.name("metadata_commit_duration", unit: "seconds", help: "Metadata commits a write waits for, until durable."),
            buckets: Self.syncBuckets)
        // Zero until the first one: a dashboard sees the series before anything goes wrong.
        for site in CRCSite.allCases { _ = crcMismatches(site) }
    }

    /// Records one answered request.
    func requestServed(operation: String, status: Int, duration: Duration, received: Int, sent: Int) {
        registry.makeCounter(
            descriptor: Self.name("requests", unit: "total", help: "Requests answered, by OSS operation and HTTP status."),
            labels: [("operation", operation), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("request_duration", unit: "seconds", help: "From a request's head to the last byte of its answer."),
            labels: [("operation", operation)], buckets: Self.durationBuckets
        ).record(duration)
        registry.makeCounter(
            descriptor: Self.name("received_bytes", unit: "total", help: "Request body bytes received, by OSS operation."),
            labels: [("operation", operation)]
        ).increment(by: Int64(received))
        registry.makeCounter(
            descriptor: Self.name("sent_bytes", unit: "total", help: "Response body bytes sent, by OSS operation."),
            labels: [("operation", operation)]
        ).increment(by: Int64(sent))
    }

    /// Records a CRC-64 mismatch caught at `site`.
    func crcMismatch(_ site: CRCSite) {
        crcMismatches(site).increment()
    }

    /// Records what the scrubber read since it last said.
    func scrubbed(blobs: Int, bytes: Int) {
        registry.makeCounter(descriptor: Self.name("scrub_blobs", unit: "total", help: "Blob files the scrubber has checked."))
            .increment(by: Int64(blobs))
        registry.makeCounter(descriptor: Self.name("scrub_bytes", unit: "total", help: "Bytes the scrubber has read."))
            .increment(by: Int64(bytes))
    }

    /// Reports the fsyncs and commits of `storage` from now on.
    func observe(_ timings: StorageTimings) {
        let (blobSyncs, directorySyncs, commits) = (self.blobSyncs, self.directorySyncs, self.commits)
        timings.observe { event, duration in
            switch event {
            case .blobSync: blobSyncs.record(duration)
            case .directorySync: directorySyncs.record(duration)
            case .metadataCommit: commits.record(duration)
            }
        }
    }

    func connectionOpened() { connections.increment() }
    func connectionClosed() { connections.decrement() }

    /// The text a scrape returns, with what the storage knows brought up to date first.
    func render(storage: ObjectStorage) async -> [UInt8] {
        let found = (reads: storage.damage.damagedReads, scrubbed: storage.damage.damagedByScrub)
        let new = damageReported.withLockedValue { reported in
            defer { reported = (max(reported.reads, found.reads), max(reported.scrubbed, found.scrubbed)) }
            return (reads: max(0, found.reads - reported.reads), scrubbed: max(0, found.scrubbed - reported.scrubbed))
        }
        if new.reads > 0 { crcMismatches(.read).increment(by: Int64(new.reads)) }
        if new.scrubbed > 0 { crcMismatches(.scrub).increment(by: Int64(new.scrubbed)) }
        await refreshBuckets(storage)
        return registry.emitToBuffer()
    }

    private func crcMismatches(_ site: CRCSite) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "crc_mismatches", unit: "total",
                help: "Bytes whose CRC-64 did not match: upload (a declared CRC refused) or read (stored bytes damaged)."),
            labels: [("caught", site.rawValue)])
    }

    /// Objects and bytes per bucket, unless read less than ``statisticsInterval`` ago. A bucket
    /// whose figures cannot be read keeps its last ones; a bucket gone loses its series.
    private func refreshBuckets(_ storage: ObjectStorage) async {
        let now = ContinuousClock.now
        let due = buckets.withLockedValue { figures in
            guard let refreshed = figures.refreshed, now - refreshed < statisticsInterval else {
                figures.refreshed = now
                return true
            }
            return false
        }
        guard due, let names = await Self.bucketNames(storage) else { return }
        if let damaged = try? await storage.metadata.damagedObjects(limit: 1_000_000) {
            registry.makeGauge(descriptor: Self.name("damaged_objects", help: "Object versions, and parts of unfinished uploads, marked damaged by the scrubber."))
                .set(Int64(damaged.count))
        }
        var figures: [String: (objects: Int, bytes: Int64)] = [:]
        for name in names {
            guard let statistics = try? await storage.bucketStatistics(name) else { continue }
            figures[name] = (statistics.objectCount, statistics.classes.values.reduce(0) { $0 + $1.realStorage })
        }
        let (objects, bytes) = (
            Self.name("bucket_objects", help: "Current objects in a bucket (delete markers not counted)."),
            Self.name("bucket_stored_bytes", help: "Bytes of the current objects in a bucket.")
        )
        let gone = buckets.withLockedValue { state -> [(objects: Gauge, bytes: Gauge)] in
            for (name, figure) in figures {
                let gauges = state.gauges[name] ?? (
                    registry.makeGauge(descriptor: objects, labels: [("bucket", name)]),
                    registry.makeGauge(descriptor: bytes, labels: [("bucket", name)])
                )
                gauges.objects.set(Int64(figure.objects))
                gauges.bytes.set(figure.bytes)
                state.gauges[name] = gauges
            }
            let removed = state.gauges.keys.filter { !names.contains($0) }
            return removed.compactMap { state.gauges.removeValue(forKey: $0) }
        }
        for gauges in gone {
            registry.unregisterGauge(gauges.objects)
            registry.unregisterGauge(gauges.bytes)
        }
    }

    /// Every bucket's name, page by page; `nil` when the metadata cannot be read now.
    private static func bucketNames(_ storage: ObjectStorage) async -> Set<String>? {
        var names = Set<String>()
        var query = BucketListQuery(maxKeys: 1000)
        while true {
            guard let page = try? await storage.listBuckets(query) else { return nil }
            names.formUnion(page.buckets.map(\.name))
            guard page.isTruncated, let next = page.nextMarker else { return names }
            query.marker = next
        }
    }

    /// Request durations from a millisecond (a small GET) to five minutes (a large transfer).
    private static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60), .seconds(300),
    ]

    /// fsync and commit durations from 50 µs (a disk with a write cache it may trust) to over a
    /// second (a disk in trouble).
    private static let syncBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    private static func name(_ metric: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "oss", metricName: metric, unitName: unit, helpText: help)
    }
}
