import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss hash`: the CRC-64 and MD5 of local files, or what the server stores for objects, in one
/// listing: the two checksums OSS reports (`x-oss-hash-crc64ecma`, `Content-MD5`).
struct HashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the CRC-64 and MD5 of local files (read once) or of objects (as stored, from one HEAD).",
        discussion: """
            Lines are '<crc64>  <md5>  <size>  <path>': the CRC-64/XZ in decimal as \
            x-oss-hash-crc64ecma carries it, the MD5 in base64 as Content-MD5 carries it ('-' for \
            an object stored without one, such as a multipart upload's). 'oss crc64' prints and \
            checks CRC-64s alone (hex, base64, CRC-64/NVME); 'oss verify' compares a file with an \
            object. Exit status 1 when any path could not be read.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "text, or json.")
    var output: OutputFormat = .text

    @Argument(help: ArgumentHelp("Local files (- for standard input) or oss://bucket/key objects.", valueName: "PATH"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or oss://bucket/key") }
        for path in paths where path.hasPrefix("oss://") { _ = try ObjectPath.object(path) }
    }

    func run() async throws {
        var rows: [[String: Any]] = []
        var failed = false
        let objects = paths.compactMap(ObjectPath.init)
        let heads: [String: Result<OSSObjectMetadata, any Error>] =
            objects.isEmpty
            ? [:]
            : try await withClient(connection) { client in
                var heads: [String: Result<OSSObjectMetadata, any Error>] = [:]
                for object in objects {
                    do {
                        heads[object.description] = .success(try await client.headObject(bucket: object.bucket, key: object.key))
                    } catch {
                        heads[object.description] = .failure(error)
                    }
                }
                return heads
            }
        for path in paths {
            do {
                let row: [String: Any]
                if let object = ObjectPath(path) {
                    let head = try heads[object.description]!.get()
                    row = [
                        "path": path, "size": head.contentLength, "crc64": head.crc64.map { String($0) } ?? "-",
                        "md5": head.contentMD5 ?? "-", "etag": head.etag,
                    ]
                } else {
                    let digests = try await FileChecksummer(variant: .xz, kernel: .best).digests(path: path)
                    row = [
                        "path": path, "size": digests.size, "crc64": String(digests.crc64),
                        "md5": OSSContentMD5.value(digest: digests.md5),
                    ]
                }
                rows.append(row)
                if output == .text { print("\(row["crc64"]!)  \(row["md5"]!)  \(row["size"]!)  \(path)") }
            } catch {
                failed = true
                FileHandle.standardError.write(Data("oss hash: \(path): \(error)\n".utf8))
            }
        }
        if output == .json { try printJSON(rows) }
        if failed { throw ExitCode.failure }
    }
}
