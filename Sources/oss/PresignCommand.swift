import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss presign`: a URL that lets anyone GET, PUT or HEAD one object until it expires.
struct PresignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presign",
        abstract: "Print a presigned URL for one object: usable by curl or a browser without credentials until it expires.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The method the URL allows: GET, PUT or HEAD.")
    var method = "GET"

    @Option(help: ArgumentHelp("Seconds until the URL stops working (V4: 1 to 604800).", valueName: "SECONDS"))
    var expires = 900

    @Option(help: ArgumentHelp("For PUT: the Content-Type the upload must send (it is signed).", valueName: "TYPE"))
    var contentType: String?

    @Argument(help: ArgumentHelp("oss://bucket/key", valueName: "PATH"), transform: ObjectPath.object)
    var object: ObjectPath

    func validate() throws {
        guard OSSPresignRequest.Method(rawValue: method.uppercased()) != nil else {
            throw ValidationError("--method must be GET, PUT or HEAD")
        }
        guard expires >= 1 else { throw ValidationError("--expires must be at least 1 second") }
    }

    func run() async throws {
        let headers = contentType.map { ["Content-Type": $0] } ?? [:]
        let presigned = try await withClient(connection) { client in
            try await client.presign(
                OSSPresignRequest(
                    method: OSSPresignRequest.Method(rawValue: method.uppercased())!, bucket: object.bucket,
                    key: object.key, expiresIn: .seconds(expires), headers: headers))
        }
        print(presigned.url)
        for (name, value) in presigned.headers.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data("send with header  \(name): \(value)\n".utf8))
        }
        if method.uppercased() == "PUT" {
            // curl -T sends the file as it is; --data-binary would add a Content-Type the
            // signature does not cover, and the server would refuse it.
            let headers = presigned.headers.sorted(by: { $0.key < $1.key }).map { " -H '\($0.key): \($0.value)'" }.joined()
            FileHandle.standardError.write(Data("upload with: curl -T FILE\(headers) '\(presigned.url)'\n".utf8))
        }
        FileHandle.standardError.write(Data("expires at \(OSSDateFormat.iso8601(presigned.expiration))\n".utf8))
    }
}
