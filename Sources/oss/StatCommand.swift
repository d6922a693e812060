import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss stat`: an object's size, ETag, CRC-64 and metadata, from one HEAD.
struct StatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stat", abstract: "Show an object's size, ETag, stored CRC-64 and metadata.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "text, or json.")
    var output: OutputFormat = .text

    @Argument(help: ArgumentHelp("oss://bucket/key", valueName: "PATH"), transform: ObjectPath.object)
    var object: ObjectPath


    func run() async throws {
        let info = try await withClient(connection) { try await $0.headObject(bucket: object.bucket, key: object.key) }
        var lines = [
            ("Path", object.description),
            ("Size", String(info.contentLength)),
            ("ETag", info.etag),
            ("CRC-64", info.crc64.map(String.init) ?? "none (the server has no CRC for this object)"),
            ("Type", info.objectType?.rawValue ?? "-"),
            ("Content-Type", info.contentType ?? "-"),
            ("Last-Modified", info.lastModified.map(OSSDateFormat.httpDate) ?? "-"),
            ("Storage-Class", info.storageClass?.rawValue ?? "-"),
        ]
        if output == .json {
            var document: [String: Any] = [
                "path": object.description, "size": info.contentLength, "etag": info.etag,
                "crc64": info.crc64.map { String($0) } ?? NSNull(), "metadata": info.metadata,
            ]
            document["type"] = info.objectType?.rawValue
            document["contentType"] = info.contentType
            document["lastModified"] = info.lastModified.map(OSSDateFormat.iso8601)
            document["storageClass"] = info.storageClass?.rawValue
            document["contentMD5"] = info.contentMD5
            try printJSON(document)
            return
        }
        for (name, value) in info.metadata.sorted(by: { $0.key < $1.key }) { lines.append(("x-oss-meta-\(name)", value)) }
        for (name, value) in lines { print("\((name + ":").padding(toLength: 15, withPad: " ", startingAt: 0)) \(value)") }
    }
}
