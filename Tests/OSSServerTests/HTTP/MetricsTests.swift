import CRC64
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OSSProtocol
import Testing

@testable import OSSServer

/// The metrics a server reports move by exactly what its clients did.
@Suite("Metrics: requests, bytes, CRC-64 mismatches, connections and buckets, as Prometheus reads them")
struct MetricsTests {
    /// The samples of a text exposition, by series (`name{label="value",…}` as written).
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    /// The samples once `ready` holds of them (a request is recorded once its answer has left,
    /// which its client may see first), or as they are after ten seconds.
    static func samples(of server: LiveServer, once ready: ([String: Double]) -> Bool) async throws -> [String: Double] {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let current = samples(String(decoding: await server.metrics.render(storage: server.storage), as: UTF8.self))
            if ready(current) || ContinuousClock.now > deadline { return current }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    // Open connections are counted by the server's connection delegate, which HummingbirdTesting's
    // live server drops: the conformance suite counts them on a real `oss serve`.
    @Test("requests by operation and status, body bytes both ways, a refused CRC-64 and the bucket's objects")
    func countersMoveByTheRequestsMade() async throws {
        try await LiveServer.run { server in
            let stored = testBytes(1_000)
            let refused = testBytes(700)
            #expect(try await server.put("a", stored).status == .ok)
            let wrongCRC = try await server.put("b", refused, headers: [("x-oss-hash-crc64ecma", String(CRC64.xz.checksum(stored)))])
            #expect(wrongCRC.errorCode == "InvalidDigest")
            #expect(try await server.send(.get, key: "a").bytes == stored)
            let missing = try await server.send(.get, key: "missing")
            #expect(missing.status == .notFound)

            let samples = try await Self.samples(of: server) { $0["oss_request_duration_seconds_count{operation=\"GetObject\"}"] == 2 }
            #expect(samples["oss_requests_total{operation=\"PutObject\",status=\"200\"}"] == 1)
            #expect(samples["oss_requests_total{operation=\"PutObject\",status=\"400\"}"] == 1)
            #expect(samples["oss_requests_total{operation=\"GetObject\",status=\"200\"}"] == 1)
            #expect(samples["oss_requests_total{operation=\"GetObject\",status=\"404\"}"] == 1)
            #expect(samples["oss_request_duration_seconds_count{operation=\"PutObject\"}"] == 2)
            // The refused body was read whole: its CRC is known only at its end.
            #expect(samples["oss_received_bytes_total{operation=\"PutObject\"}"] == Double(stored.count + refused.count))
            #expect(samples["oss_sent_bytes_total{operation=\"GetObject\"}"] == Double(stored.count + missing.body.readableBytes))
            #expect(samples["oss_crc_mismatches_total{caught=\"upload\"}"] == 1)
            #expect(samples["oss_crc_mismatches_total{caught=\"read\"}"] == 0)
            #expect(samples["oss_bucket_objects{bucket=\"bkt\"}"] == 1)
            #expect(samples["oss_bucket_stored_bytes{bucket=\"bkt\"}"] == Double(stored.count))
        }
    }

    @Test("every fsync and metadata commit a write waits for is timed: one directory sync per published blob, blob syncs, commits")
    func durabilityPointsAreTimed() async throws {
        try await LiveServer.run { server in
            let (blob, directory, commit) = (
                "oss_fsync_duration_seconds_count{file=\"blob\"}", "oss_fsync_duration_seconds_count{file=\"directory\"}",
                "oss_metadata_commit_duration_seconds_count"
            )
            let before = try await Self.samples(of: server) { _ in true }
            // Above the inline limit: each body becomes a blob file, synced and published.
            for index in 0..<3 { #expect(try await server.put("large-\(index)", testBytes(200_000)).status == .ok) }
            // At most 64 KiB: in the metadata, made durable by its commit alone.
            for index in 0..<2 { #expect(try await server.put("small-\(index)", testBytes(1_000)).status == .ok) }
            let after = try await Self.samples(of: server) { _ in true }
            func moved(_ series: String) -> Double { (after[series] ?? 0) - (before[series] ?? 0) }
            #expect(moved(directory) == 3)
            #expect(moved(blob) >= 3)
            #expect(moved(commit) >= 5, "every PUT waits for its own metadata commit here, one after another")
            #expect((after["oss_metadata_commit_duration_seconds_sum"] ?? 0) > 0)
            #expect((after["oss_fsync_duration_seconds_sum{file=\"blob\"}"] ?? 0) > 0)
        }
    }

    @Test("stored bytes that fail their CRC-64 when read are counted where they were caught")
    func damageAtRestIsCounted() async throws {
        try await LiveServer.run { server in
            // Above the inline limit: the bytes are in a blob file.
            try await DamagedObjectOverHTTPTests.storeDamaged(server, "rotten", testBytes(200_000), flippingByteAt: 1_000)
            #expect(try await server.send(.get, key: "rotten").errorCode == "InternalError")
            let samples = try await Self.samples(of: server) { $0["oss_crc_mismatches_total{caught=\"read\"}"] == 1 }
            #expect(samples["oss_crc_mismatches_total{caught=\"read\"}"] == 1)
            #expect(samples["oss_crc_mismatches_total{caught=\"upload\"}"] == 0)
            #expect(samples["oss_requests_total{operation=\"GetObject\",status=\"500\"}"] == 1)
        }
    }

    @Test("a bucket deleted loses its series; one created gets them")
    func bucketSeriesFollowTheBuckets() async throws {
        try await LiveServer.run { server in
            #expect(try await server.send(.put, bucket: "second").status == .ok)
            var samples = try await Self.samples(of: server) { $0["oss_bucket_objects{bucket=\"second\"}"] != nil }
            #expect(samples["oss_bucket_objects{bucket=\"second\"}"] == 0)
            #expect(try await server.send(.delete, bucket: "second").status == .noContent)
            samples = try await Self.samples(of: server) { $0["oss_bucket_objects{bucket=\"second\"}"] == nil }
            #expect(samples["oss_bucket_objects{bucket=\"second\"}"] == nil)
            #expect(samples["oss_bucket_objects{bucket=\"bkt\"}"] == 0)
        }
    }

    @Test("the admin listener serves them as Prometheus text, behind its token when it has one")
    func servedByTheAdminListener() async throws {
        try await withStorage { storage, _ in
            let metrics = ServerMetrics()
            metrics.requestServed(operation: "PutObject", status: 200, duration: .milliseconds(3), received: 10, sent: 0)
            try await AdminTests.withAdmin(storage, token: "t0ken", metrics: metrics) { client in
                #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
                let scrape = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer t0ken"])
                #expect(scrape.status == .ok)
                #expect(scrape.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let samples = Self.samples(String(buffer: scrape.body))
                #expect(samples["oss_requests_total{operation=\"PutObject\",status=\"200\"}"] == 1)
                #expect(samples["oss_received_bytes_total{operation=\"PutObject\"}"] == 10)
            }
        }
    }
}
