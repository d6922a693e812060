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

    @Argument(help: ArgumentHelp("oss://bucket/key", valueName: "PATH"), transform: ObjectPath.object)
    var object: ObjectPath

    @Argument(help: "A local file that should hold the same bytes.")
    var file: String?

    @Option(
        name: .customLong("crc64nvme"),
        help: ArgumentHelp(
            "Also check the bytes against this CRC-64/NVME as S3 shows it (ChecksumCRC64NVME, x-amz-checksum-crc64nvme: base64).",
            valueName: "BASE64"))
    var crc64nvme: String?

    /// ``crc64nvme`` as a number; `nil` when not given.
    private var expectedNVME: UInt64? {
        get throws {
            guard let crc64nvme else { return nil }
            guard let crc = try? S3ChecksumAlgorithm.crc64nvme.crc(fromHeaderValue: crc64nvme) else {
                throw ValidationError("--crc64nvme must be the base64 of 8 bytes, as S3 shows it (e.g. rosUhgp5mIg=)")
            }
            return crc
        }
    }

    func validate() throws {
        guard (1...1024).contains(partSize) else { throw ValidationError("--part-size must be between 1 and 1024 MiB") }
        _ = try expectedNVME
    }

    func run() async throws {
        let expectedNVME = try self.expectedNVME
        let (stored, size, computed, nvme) = try await withClient(connection) { client in
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
                let nvme = expectedNVME == nil ? nil : try await FileChecksummer(variant: .nvme, kernel: .best).checksum(path: file)
                return (stored, info.contentLength, try await checksummer.checksum(path: file), nvme)
            }
            let (xz, nvme) = try await readChecksum(client, object, size: info.contentLength, etag: info.etag)
            return (stored, info.contentLength, xz, nvme)
        }
        guard computed == stored else {
            throw CommandFailure("\(object): MISMATCH: stored CRC-64 \(stored), computed \(computed)\(file.map { " from \($0)" } ?? "")")
        }
        if let expectedNVME, nvme != expectedNVME {
            let shown = nvme.map { S3ChecksumAlgorithm.crc64nvme.headerValue(crc: $0) } ?? "none"
            throw CommandFailure("\(object): MISMATCH: CRC-64/NVME of the bytes is \(shown), not \(crc64nvme ?? "")")
        }
        print("\(object): OK  \(size) bytes  CRC-64 \(stored)" + (expectedNVME == nil ? "" : "  CRC-64/NVME \(crc64nvme ?? "")"))
    }

    /// Reads the object in ranges pinned to one ETag (so a concurrent overwrite is an error, not a
    /// false mismatch) and combines the ranges' CRCs.
    ///
    /// The server checks every block it sends and refuses damaged ones: before a response when it
    /// can, otherwise by cutting the connection, which looks like a transport failure. A range
    /// that fails that way is read again in pieces small enough to be checked before their first
    /// byte, so damage is reported as damage, with where it is.
    private func readChecksum(_ client: OSSClient, _ object: ObjectPath, size: Int64, etag: String) async throws
        -> (xz: UInt64, nvme: UInt64)
    {
        let step = Int64(partSize) << 20
        var crc: UInt64 = 0
        var nvme = CRC64Hasher(.nvme)
        var offset: Int64 = 0
        while offset < size {
            let last = min(size, offset + step) - 1
            let body: [UInt8]
            do {
                body = try await readRange(client, object, offset...last, etag: etag)
            } catch let error as OSSClientError where error.isTransportFailure {
                body = try await readInPieces(client, object, offset...last, etag: etag)
            }
            crc = CRC64.xz.combine(crc, CRC64.xz.checksum(body), lengthOfB: body.count)
            body.withUnsafeBytes { nvme.update($0) }
            offset = last + 1
        }
        return (crc, nvme.checksum)
    }

    /// Bytes per piece when a range is read again to find damage: at most what the server checks
    /// before answering.
    static let pieceSize: Int64 = 64 << 10

    private func readInPieces(
        _ client: OSSClient, _ object: ObjectPath, _ range: ClosedRange<Int64>, etag: String
    ) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for first in stride(from: range.lowerBound, through: range.upperBound, by: Int(Self.pieceSize)) {
            bytes += try await readRange(client, object, first...min(range.upperBound, first + Self.pieceSize - 1), etag: etag)
        }
        return bytes
    }

    private func readRange(
        _ client: OSSClient, _ object: ObjectPath, _ range: ClosedRange<Int64>, etag: String
    ) async throws -> [UInt8] {
        let part: OSSGetObjectResult
        do {
            part = try await client.getObject(
                OSSGetObjectRequest(
                    bucket: object.bucket, key: object.key, range: .closed(first: range.lowerBound, last: range.upperBound),
                    ifMatch: etag))
        } catch let error as OSSClientError where error.isDamagedObject {
            let reason = error.serviceError?.details[OSSError.damagedObjectElement] ?? ""
            throw CommandFailure(
                "\(object): MISMATCH: the server refused bytes \(range.lowerBound)-\(range.upperBound): stored data failed its CRC-64 check (\(reason)); restore the object from a copy")
        }
        guard part.body.count == range.count else {
            throw CommandFailure("\(object): range \(range.lowerBound)-\(range.upperBound) returned \(part.body.count) bytes")
        }
        return part.body
    }
}
