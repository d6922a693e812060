import ArgumentParser
import CRC64
import Foundation
import OSSClient
import OSSProtocol

/// `oss verify`: prove that an object's bytes match its stored CRC-64, or a local file.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an object against its stored CRC-64 (reading it), or against a local file (without reading it).",
        discussion: """
            With FILE, the local file's CRC-64 and size are compared with the object's stored ones: \
            no object bytes move. Without FILE, the object is read in ranges (memory bounded by the \
            part size) and its recomputed CRC-64 compared with the stored one, which finds bit rot. \
            Exit status 1 on any mismatch.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Range size in MiB when reading the object.", valueName: "MIB"))
    var partSize = 8

    @Argument(help: ArgumentHelp("oss://bucket/key", valueName: "PATH"))
    var path: String

    @Argument(help: "A local file that should hold the same bytes.")
    var file: String?

    func validate() throws {
        _ = try ObjectPath.object(path)
        guard (1...1024).contains(partSize) else { throw ValidationError("--part-size must be between 1 and 1024 MiB") }
    }

    func run() async throws {
        let object = ObjectPath(path)!
        let (stored, size, computed) = try await withClient(connection) { client in
            let info = try await client.headObject(bucket: object.bucket, key: object.key)
            guard let stored = info.crc64 else {
                throw CommandFailure("\(object): the server stores no CRC-64 for this object; nothing to verify against")
            }
            if let file {
                let checksummer = FileChecksummer(variant: .xz, kernel: .best)
                let localSize = try CopyCommand.fileSize(file)
                guard localSize == info.contentLength else {
                    throw CommandFailure("\(file) has \(localSize) bytes but \(object) has \(info.contentLength): MISMATCH")
                }
                return (stored, info.contentLength, try await checksummer.checksum(path: file))
            }
            return (stored, info.contentLength, try await readChecksum(client, object, size: info.contentLength, etag: info.etag))
        }
        guard computed == stored else {
            throw CommandFailure("\(object): MISMATCH: stored CRC-64 \(stored), computed \(computed)\(file.map { " from \($0)" } ?? "")")
        }
        print("\(object): OK  \(size) bytes  CRC-64 \(stored)")
    }

    /// Reads the object in ranges pinned to one ETag (so a concurrent overwrite is an error, not a
    /// false mismatch) and combines the ranges' CRCs.
    private func readChecksum(_ client: OSSClient, _ object: ObjectPath, size: Int64, etag: String) async throws -> UInt64 {
        let step = Int64(partSize) << 20
        var crc: UInt64 = 0
        var offset: Int64 = 0
        while offset < size {
            let last = min(size, offset + step) - 1
            let part = try await client.getObject(
                OSSGetObjectRequest(bucket: object.bucket, key: object.key, range: .closed(first: offset, last: last), ifMatch: etag))
            guard part.body.count == Int(last - offset + 1) else {
                throw CommandFailure("\(object): range \(offset)-\(last) returned \(part.body.count) bytes")
            }
            crc = CRC64.xz.combine(crc, CRC64.xz.checksum(part.body), lengthOfB: part.body.count)
            offset = last + 1
        }
        return crc
    }
}
