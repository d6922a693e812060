import ArgumentParser
import OSSClient
import OSSProtocol

/// `oss rm`: one object, or with `--recursive` every object under a prefix, in batches of 1000.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Delete an object, or every object under oss://bucket/prefix with --recursive.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .shortAndLong, help: "Delete every object whose key starts with the path's key (the whole bucket for oss://bucket/).")
    var recursive = false

    @Argument(help: ArgumentHelp("oss://bucket/key, or oss://bucket/prefix with --recursive", valueName: "PATH"))
    var path: String

    func validate() throws {
        guard let object = ObjectPath(path) else { throw ValidationError("'\(path)' is not an oss://bucket/key path") }
        if !recursive, object.key.isEmpty {
            throw ValidationError("'\(path)' names a bucket: add --recursive to delete its objects, or use 'oss rb'")
        }
    }

    func run() async throws {
        let target = ObjectPath(path)!
        try await withClient(connection) { client in
            guard recursive else {
                // Deleting is idempotent (the server answers 204 for a missing key, and `aws s3
                // rm` succeeds): a missing key is no failure, but the output says nothing was there.
                do {
                    _ = try await client.headObject(bucket: target.bucket, key: target.key)
                } catch let error as OSSClientError where error.serviceError?.status == 404 && error.serviceCode != "NoSuchBucket" {
                    print("nothing to delete: \(target) does not exist")
                    return
                }
                try await client.deleteObject(bucket: target.bucket, key: target.key)
                print("deleted \(target)")
                return
            }
            var deleted = 0
            let request = OSSListObjectsV2Request(bucket: target.bucket, prefix: target.key.isEmpty ? nil : target.key)
            for try await page in client.listObjectsV2Pages(request) where !page.contents.isEmpty {
                _ = try await client.deleteObjects(bucket: target.bucket, keys: page.contents.map(\.key), quiet: true)
                deleted += page.contents.count
            }
            print("deleted \(deleted) object\(deleted == 1 ? "" : "s") under \(target)")
        }
    }
}
