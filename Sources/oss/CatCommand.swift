import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss cat`: an object's bytes on standard output, CRC-64 checked as they stream.
struct CatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Write an object to standard output, checking its CRC-64 as it streams.",
        discussion: """
            The bytes go out as they arrive, so a damaged object is only detected at its end: cat \
            then prints the mismatch on standard error and exits with status 1, and whatever read \
            the output must discard it. Use 'oss cp' to get a file that exists only when verified.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("oss://bucket/key", valueName: "PATH"), transform: ObjectPath.object)
    var object: ObjectPath


    func run() async throws {
        let verification = try await withClient(connection) { client in
            let result = try await client.getObjectStream(OSSGetObjectRequest(bucket: object.bucket, key: object.key))
            let output = FileHandle.standardOutput
            for try await chunk in result.body {
                try output.write(contentsOf: chunk.readableBytesView)
            }
            return result.body.crcVerification
        }
        if case .unverified(let reason)? = verification {
            FileHandle.standardError.write(Data("oss cat: \(object): CRC-64 UNVERIFIED (\(reason))\n".utf8))
        }
    }
}
