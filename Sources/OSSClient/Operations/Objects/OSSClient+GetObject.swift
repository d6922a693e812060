#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CRC64
import Foundation
import NIOCore
import OSSProtocol

extension OSSClient {
    /// Reads an object, or a range of it, into memory (GetObject), checking the CRC-64 while the
    /// bytes arrive.
    ///
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when a whole-object read does not match the
    ///   server's CRC; ``OSSClientError/service(_:)`` with `NoSuchKey`, `PreconditionFailed`,
    ///   `NotModified` (304) or `InvalidRange`.
    public func getObject(_ request: OSSGetObjectRequest) async throws -> OSSGetObjectResult {
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "GetObject", bucket: request.bucket, key: request.key)
        return try await perform(request.wire("GetObject", method: .get)) { response in
            var hasher = CRC64Hasher(.xz)
            var body: [UInt8] = []
            for try await chunk in response.body {
                chunk.withUnsafeReadableBytes { hasher.update($0) }
                body.append(contentsOf: chunk.readableBytesView)
            }
            let metadata = try OSSObjectMetadata(headers: response.headers)
            let verification = try Self.verifyRead(response, metadata: metadata, crc: hasher.checksum, check)
            return OSSGetObjectResult(
                metadata: metadata, body: body, contentRange: response.header("Content-Range"),
                crcVerification: verification)
        }
    }

    /// Reads a whole object.
    public func getObject(bucket: String, key: String) async throws -> OSSGetObjectResult {
        try await getObject(OSSGetObjectRequest(bucket: bucket, key: key))
    }

    /// Downloads an object (or a range) into a file, checking the CRC-64 while it streams.
    ///
    /// The bytes go to a temporary file beside `destination`, which is synced and renamed over
    /// `destination` only after the check passed: on any failure, a CRC mismatch included,
    /// `destination` is untouched and no temporary file remains. Memory use is one chunk.
    /// For large objects, ``OSSDownloader`` downloads ranges in parallel and can resume.
    public func getObject(_ request: OSSGetObjectRequest, to destination: URL) async throws
        -> OSSGetObjectToFileResult
    {
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "GetObject", bucket: request.bucket, key: request.key)
        let temporary = TemporaryPath(for: destination.path)
        do {
            let result = try await perform(request.wire("GetObject", method: .get)) { response in
                let file = try await LocalFile.openForWriting(temporary.path, truncate: true)
                defer { file.close() }
                var hasher = CRC64Hasher(.xz)
                var written: Int64 = 0
                for try await chunk in response.body {
                    chunk.withUnsafeReadableBytes { hasher.update($0) }
                    try await file.write(chunk, at: written)
                    written += Int64(chunk.readableBytes)
                }
                let metadata = try OSSObjectMetadata(headers: response.headers)
                let verification = try Self.verifyRead(response, metadata: metadata, crc: hasher.checksum, check)
                try await file.sync()
                return OSSGetObjectToFileResult(metadata: metadata, bytesWritten: written, crcVerification: verification)
            }
            try temporary.publish(as: destination.path)
            return result
        } catch {
            temporary.remove()
            throw error
        }
    }

    /// The verification of a finished read: a full body (200, or a 206 covering everything) is
    /// compared with the whole-object CRC; a partial range cannot be.
    static func verifyRead(
        _ response: WireResponse, metadata: OSSObjectMetadata, crc: UInt64, _ check: CRCCheck
    ) throws(OSSClientError) -> OSSCRCVerification {
        guard isWholeObject(response) else {
            return check.enabled ? .unverified(.partialContent) : .unverified(.disabled)
        }
        return try check.verify(server: metadata.crc64, client: crc)
    }

    /// Whether a GET response carries the whole object (200, or a 206 covering every byte), so
    /// that its CRC is comparable with the whole-object CRC the server reports.
    static func isWholeObject(_ response: WireResponse) -> Bool {
        guard response.status == 206, let header = response.header("Content-Range") else { return true }
        guard let (range, size) = OSSByteRange.parse(contentRange: header) else { return false }
        return range.first == 0 && range.last == size - 1
    }
}

/// A temporary file beside a destination, published by an atomic rename.
struct TemporaryPath: Sendable {
    let path: String

    init(for destination: String) {
        let url = URL(fileURLWithPath: destination)
        path = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).oss-\(UUID().uuidString).tmp").path
    }

    init(path: String) {
        self.path = path
    }

    /// Renames over `destination`, replacing it atomically.
    func publish(as destination: String) throws(OSSClientError) {
        guard rename(path, destination) == 0 else {
            throw LocalFile.failure(destination, "cannot move the downloaded file into place")
        }
    }

    func remove() {
        FileManager.default.removeIfPresent(path)
    }
}
