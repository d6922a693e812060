import ArgumentParser
import Foundation
import OSSClient
import Synchronization

/// `oss probe`: latency and throughput to an endpoint, measured with the CLI's own transfers.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Measure request latency and upload/download speed to a bucket.",
        discussion: """
            Writes objects under oss://bucket/.oss-probe-<random>/ and deletes them at the end: \
            --count small PUTs and HEADs, one at a time, for latency (median and 90th percentile), \
            then one --size MiB file up and down with 'oss cp''s parallel, CRC-checked transfers.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Size of the transfer probe in MiB.", valueName: "MIB"))
    var size = 64

    @Option(help: "Requests for the latency probe.")
    var count = 20

    @Option(name: [.customLong("jobs"), .customShort("j")], help: "Parts in flight at once.")
    var jobs = 4

    @Option(help: "text, or json.")
    var output: OutputFormat = .text

    @Argument(help: ArgumentHelp("oss://bucket", valueName: "BUCKET"), transform: { try ObjectPath.bucket($0).bucket })
    var bucket: String

    func validate() throws {
        guard (1...10_240).contains(size), (1...10_000).contains(count), jobs >= 1 else {
            throw ValidationError("--size must be 1 to 10240 MiB, --count 1 to 10000 and --jobs at least 1")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func run() async throws {
        let prefix = ".oss-probe-\(UUID().uuidString.prefix(8).lowercased())/"
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("oss-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let source = work.appendingPathComponent("up")
        try Self.randomFile(source, mebibytes: size)
        let (bucket, count, size, jobs) = (bucket, count, size, jobs)
        let report = try await withClient(connection) { client in
            let keys = KeyList()
            do {
                return try await Self.measure(
                    client, bucket: bucket, prefix: prefix, count: count, size: size, jobs: jobs, source: source,
                    work: work, keys: keys)
            } catch {
                // Nothing of the probe is left behind, whatever failed.
                _ = try? await client.deleteObjects(bucket: bucket, keys: keys.all, quiet: true)
                throw error
            }
        }
        switch output {
        case .json: try printJSON(report.json)
        case .text: for line in report.lines { print(line) }
        }
    }

    /// The keys the probe wrote, for the clean-up after a failure.
    final class KeyList: Sendable {
        private let keys = Mutex<[String]>([])
        func append(_ key: String) { keys.withLock { $0.append(key) } }
        var all: [String] { keys.withLock { $0 } }
    }

    static func measure(
        _ client: OSSClient, bucket: String, prefix: String, count: Int, size: Int, jobs: Int, source: URL, work: URL,
        keys: KeyList
    ) async throws -> Report {
        let small = [UInt8](repeating: 0x5A, count: 4096)
        var puts: [Double] = []
        var heads: [Double] = []
        for index in 0..<count {
            let key = prefix + "small-\(index)"
            keys.append(key)
            let started = ContinuousClock.now
            _ = try await client.putObject(OSSPutObjectRequest(bucket: bucket, key: key, body: .bytes(small)))
            puts.append(seconds(ContinuousClock.now - started))
            let headed = ContinuousClock.now
            _ = try await client.headObject(bucket: bucket, key: key)
            heads.append(seconds(ContinuousClock.now - headed))
        }
        let key = prefix + "large"
        keys.append(key)
        let part: Int64 = 8 << 20
        let upStarted = ContinuousClock.now
        let up = try await OSSUploader(client: client, options: OSSUploaderOptions(partSize: part, concurrency: jobs))
            .upload(file: source, bucket: bucket, key: key)
        let upSeconds = seconds(ContinuousClock.now - upStarted)
        let downStarted = ContinuousClock.now
        let down = try await OSSDownloader(client: client, options: OSSDownloaderOptions(partSize: part, concurrency: jobs))
            .download(bucket: bucket, key: key, to: work.appendingPathComponent("down"))
        let downSeconds = seconds(ContinuousClock.now - downStarted)
        _ = try await client.deleteObjects(bucket: bucket, keys: keys.all, quiet: true)
        return Report(
            puts: puts, heads: heads, bytes: Int64(size) << 20, upload: upSeconds, download: downSeconds,
            verified: up.crcVerification.isVerified && down.crcVerification.isVerified)
    }

    struct Report {
        var puts: [Double]
        var heads: [Double]
        var bytes: Int64
        var upload: Double
        var download: Double
        var verified: Bool

        static func percentile(_ values: [Double], _ fraction: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction + 0.5))]
        }

        var json: [String: Any] {
            [
                "putLatencyMs": ["median": Self.percentile(puts, 0.5) * 1000, "p90": Self.percentile(puts, 0.9) * 1000],
                "headLatencyMs": ["median": Self.percentile(heads, 0.5) * 1000, "p90": Self.percentile(heads, 0.9) * 1000],
                "bytes": bytes, "uploadBytesPerSecond": Double(bytes) / upload,
                "downloadBytesPerSecond": Double(bytes) / download, "crcVerified": verified, "requests": puts.count,
            ]
        }

        var lines: [String] {
            func ms(_ values: [Double]) -> String {
                String(format: "median %.1f ms, 90th percentile %.1f ms", Self.percentile(values, 0.5) * 1000, Self.percentile(values, 0.9) * 1000)
            }
            func rate(_ seconds: Double) -> String {
                "\(ProgressLine.bytes(Int64(Double(bytes) / seconds)))/s" + String(format: " (%.2f s)", seconds)
            }
            return [
                "PUT 4 KiB:  \(ms(puts))  (\(puts.count) requests, one at a time)",
                "HEAD:       \(ms(heads))",
                "upload:     \(ProgressLine.bytes(bytes)) at \(rate(upload))",
                "download:   \(ProgressLine.bytes(bytes)) at \(rate(download))",
                verified ? "CRC-64 verified both ways" : "CRC-64 UNVERIFIED",
            ]
        }
    }

    /// A file of pseudo-random bytes (incompressible, so no layer between can shortcut it).
    static func randomFile(_ url: URL, mebibytes: Int) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var generator = SystemRandomNumberGenerator()
        var block = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<mebibytes {
            block.withUnsafeMutableBytes { raw in
                for index in stride(from: 0, to: raw.count, by: 8) { raw.storeBytes(of: generator.next() as UInt64, toByteOffset: index, as: UInt64.self) }
            }
            try handle.write(contentsOf: block)
        }
    }
}
