import ArgumentParser
import OSSClient
import OSSProtocol

/// `oss mb`: creates a bucket.
struct MakeBucketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mb", abstract: "Create a bucket.")

    @OptionGroup var connection: ConnectionOptions

    @Option(
        help: "The bucket ACL: \(OSSBucketACL.allCases.map(\.rawValue).joined(separator: ", ")).",
        transform: { value in
            guard let acl = OSSBucketACL(rawValue: value) else {
                let choices = OSSBucketACL.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--acl must be one of \(choices), not '\(value)'")
            }
            return acl
        })
    var acl: OSSBucketACL?

    @Argument(help: ArgumentHelp("oss://bucket", valueName: "BUCKET"), transform: { try ObjectPath.bucket($0).bucket })
    var bucket: String

    func validate() throws {
        if let problem = OSSNames.problem(withBucketName: bucket) { throw ValidationError(problem) }
    }

    func run() async throws {
        let name = bucket
        try await withClient(connection) { client in
            try await client.createBucket(OSSCreateBucketRequest(bucket: name, acl: acl))
        }
        print("created oss://\(name)/")
    }
}

/// `oss rb`: deletes an empty bucket.
struct RemoveBucketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rb", abstract: "Delete an empty bucket (empty it first with 'oss rm --recursive oss://bucket/').")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("oss://bucket", valueName: "BUCKET"), transform: { try ObjectPath.bucket($0).bucket })
    var bucket: String


    func run() async throws {
        let name = bucket
        do {
            try await withClient(connection) { try await $0.deleteBucket(name) }
        } catch let error as OSSClientError where error.serviceCode == "BucketNotEmpty" {
            throw CommandFailure(
                "oss://\(name)/ is not empty: delete its objects with 'oss rm --recursive oss://\(name)/' "
                    + "(and abort its unfinished multipart uploads), then run 'oss rb oss://\(name)' again")
        }
        print("deleted oss://\(name)/")
    }
}
