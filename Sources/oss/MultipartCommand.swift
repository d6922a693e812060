import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss mp`: the unfinished multipart uploads of a bucket, which hold storage without being
/// visible as objects (an upload interrupted without a checkpoint is aborted by the CLI; one
/// started by another tool, or whose checkpoint was deleted, stays until aborted or expired by
/// a lifecycle rule).
struct MultipartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mp",
        abstract: "List or abort unfinished multipart uploads.",
        subcommands: [MultipartListCommand.self, MultipartAbortCommand.self]
    )
}

/// `oss mp ls oss://bucket[/prefix]`.
struct MultipartListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the unfinished multipart uploads under oss://bucket[/prefix].")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "text, or json (one document with every upload, for scripts).")
    var output: OutputFormat = .text

    @Argument(help: ArgumentHelp("oss://bucket[/prefix]", valueName: "PATH"), transform: ObjectPath.prefix)
    var target: ObjectPath

    func run() async throws {
        let uploads = try await withClient(connection) { client in
            try await MultipartUploads.list(client, under: target)
        }
        switch output {
        case .json:
            try printJSON(uploads.map { ["key": $0.key, "uploadId": $0.uploadID, "initiated": OSSDateFormat.iso8601($0.initiated)] })
        case .text:
            for upload in uploads {
                print("\(OSSDateFormat.iso8601(upload.initiated))  \(upload.uploadID)  oss://\(target.bucket)/\(upload.key)")
            }
            print("\(uploads.count) unfinished upload\(uploads.count == 1 ? "" : "s") under \(target)")
        }
    }
}

/// `oss mp abort oss://bucket/key [--upload-id ID]`, or `--recursive` for every upload under a prefix.
struct MultipartAbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Abort unfinished multipart uploads: of one key, or every one under a prefix with --recursive.",
        discussion: "Aborting frees the parts' storage; a resumable 'oss cp' of the key starts over afterwards.")

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("upload-id"), help: "Abort only this upload of the key.")
    var uploadID: String?

    @Flag(name: .shortAndLong, help: "Abort every upload whose key starts with the path's key.")
    var recursive = false

    @Argument(help: ArgumentHelp("oss://bucket/key, or oss://bucket[/prefix] with --recursive", valueName: "PATH"))
    var path: String

    func validate() throws {
        guard let target = ObjectPath(path) else { throw ValidationError("'\(path)' is not an oss://bucket/key path") }
        if !recursive, target.key.isEmpty {
            throw ValidationError("'\(path)' names a bucket: add --recursive to abort every upload in it")
        }
        if recursive, uploadID != nil { throw ValidationError("--upload-id names one upload; drop it or --recursive") }
    }

    func run() async throws {
        let target = ObjectPath(path)!
        let aborted = try await withClient(connection) { client in
            var uploads = try await MultipartUploads.list(client, under: target)
            if !recursive { uploads = uploads.filter { $0.key == target.key && (uploadID == nil || $0.uploadID == uploadID) } }
            for upload in uploads {
                do {
                    try await client.abortMultipartUpload(bucket: target.bucket, key: upload.key, uploadID: upload.uploadID)
                } catch let error as OSSClientError where error.serviceCode == "NoSuchUpload" {
                    continue  // finished or aborted meanwhile: gone either way
                }
                print("aborted \(upload.uploadID)  oss://\(target.bucket)/\(upload.key)")
            }
            return uploads.count
        }
        print("\(aborted) upload\(aborted == 1 ? "" : "s") aborted")
    }
}

/// Every unfinished upload under a path, across pages.
enum MultipartUploads {
    static func list(_ client: OSSClient, under path: ObjectPath) async throws -> [OSSListMultipartUploadsResult.Upload] {
        var uploads: [OSSListMultipartUploadsResult.Upload] = []
        let request = OSSListMultipartUploadsRequest(bucket: path.bucket, prefix: path.key.isEmpty ? nil : path.key)
        for try await page in client.listMultipartUploadsPages(request) { uploads += page.uploads }
        return uploads
    }
}
