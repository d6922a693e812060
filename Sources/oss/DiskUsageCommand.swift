import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss du`: bytes and objects under a prefix, per sub-prefix and per storage class.
struct DiskUsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "du",
        abstract: "Show the bytes and objects under oss://bucket[/prefix], per sub-prefix and storage class.",
        discussion: "Counts current objects (not older versions, not the parts of unfinished uploads: see 'oss mp ls')."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "text, or json.")
    var output: OutputFormat = .text

    @Argument(help: ArgumentHelp("oss://bucket[/prefix]", valueName: "PATH"), transform: ObjectPath.prefix)
    var target: ObjectPath

    struct Usage {
        var objects = 0
        var bytes: Int64 = 0

        mutating func add(_ size: Int64) {
            objects += 1
            bytes += size
        }

        var json: [String: Any] { ["objects": objects, "bytes": bytes] }
    }

    func run() async throws {
        var total = Usage()
        var byPrefix: [String: Usage] = [:]
        var byClass: [String: Usage] = [:]
        try await withClient(connection) { client in
            let request = OSSListObjectsV2Request(bucket: target.bucket, prefix: target.key.isEmpty ? nil : target.key)
            for try await page in client.listObjectsV2Pages(request) {
                for object in page.contents {
                    total.add(object.size)
                    byClass[object.storageClass.rawValue, default: Usage()].add(object.size)
                    let rest = object.key.dropFirst(target.key.count)
                    if let slash = rest.firstIndex(of: "/") {
                        byPrefix[target.key + rest[...slash], default: Usage()].add(object.size)
                    }
                }
            }
        }
        let prefixes = byPrefix.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        switch output {
        case .json:
            var document = total.json
            document["path"] = target.description
            document["storageClasses"] = byClass.mapValues(\.json)
            document["prefixes"] = prefixes.map { ["prefix": $0.key, "objects": $0.value.objects, "bytes": $0.value.bytes] as [String: Any] }
            try printJSON(document)
        case .text:
            func line(_ usage: Usage, _ label: String) -> String {
                "\(ProgressLine.bytes(usage.bytes).leftPadded(to: 11))  \(String(usage.objects).leftPadded(to: 9)) objects  \(label)"
            }
            for (prefix, usage) in prefixes { print(line(usage, "oss://\(target.bucket)/\(prefix)")) }
            print(line(total, "\(target)  (\(total.bytes) bytes)"))
            for (storageClass, usage) in byClass.sorted(by: { $0.key < $1.key }) { print(line(usage, "  storage class \(storageClass)")) }
        }
    }
}
