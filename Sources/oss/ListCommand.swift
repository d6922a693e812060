import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss ls`: buckets, or the objects under a prefix.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List buckets, or objects under oss://bucket/prefix (one level with a / delimiter unless --recursive)."
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .shortAndLong, help: "List every object under the prefix, not one level.")
    var recursive = false

    @Option(help: "text, or json (one document: buckets, or objects and prefixes, for scripts).")
    var output: OutputFormat = .text

    @Argument(help: ArgumentHelp("oss://bucket[/prefix]; none lists the buckets.", valueName: "PATH"))
    var path: String?

    func validate() throws {
        if let path, ObjectPath(path) == nil {
            throw ValidationError("'\(path)' is not an oss://bucket[/prefix] path")
        }
    }

    func run() async throws {
        var json: [[String: Any]] = []
        var prefixes: [String] = []
        try await withClient(connection) { client in
            guard let path = path.flatMap(ObjectPath.init) else {
                for try await page in client.listBucketsPages() {
                    for bucket in page.buckets {
                        if output == .json {
                            json.append(["name": bucket.name, "created": OSSDateFormat.iso8601(bucket.creationDate)])
                        } else {
                            print("\(OSSDateFormat.iso8601(bucket.creationDate))  oss://\(bucket.name)/")
                        }
                    }
                }
                return
            }
            let request = OSSListObjectsV2Request(
                bucket: path.bucket, prefix: path.key.isEmpty ? nil : path.key, delimiter: recursive ? nil : "/")
            for try await page in client.listObjectsV2Pages(request) {
                prefixes += page.commonPrefixes
                if output == .text {
                    for prefix in page.commonPrefixes { print("\(String(repeating: " ", count: 37))DIR  oss://\(path.bucket)/\(prefix)") }
                }
                for object in page.contents {
                    if output == .json {
                        json.append([
                            "key": object.key, "size": object.size, "lastModified": OSSDateFormat.iso8601(object.lastModified),
                            "etag": object.etag, "storageClass": object.storageClass.rawValue,
                        ])
                    } else {
                        let size = String(object.size).leftPadded(to: 14)
                        print("\(OSSDateFormat.iso8601(object.lastModified))  \(size)  oss://\(path.bucket)/\(object.key)")
                    }
                }
            }
        }
        guard output == .json else { return }
        if path == nil {
            try printJSON(["buckets": json])
        } else {
            try printJSON(["objects": json, "prefixes": prefixes])
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
