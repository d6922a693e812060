import AsyncHTTPClient
import CRC64
import NIOCore
import OSSProtocol

extension OSSClient {
    /// Stores an object (PutObject), CRC-checked as ``OSSUploadBody`` describes.
    ///
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when the body was damaged on the way (for
    ///   bytes and files the server refused it and nothing was stored);
    ///   ``OSSClientError/service(_:)`` for OSS errors such as `FileAlreadyExists`.
    public func putObject(_ request: OSSPutObjectRequest) async throws -> OSSPutObjectResult {
        try await putObject(request, reportingSent: nil)
    }

    /// ``putObject(_:)``, telling `report` about a bytes or file body as it is sent.
    func putObject(_ request: OSSPutObjectRequest, reportingSent report: SentBytesReporter?) async throws
        -> OSSPutObjectResult
    {
        var wire = WireRequest("PutObject", .PUT, bucket: request.bucket, key: request.key)
        wire.reportsSent = report
        request.options.apply(to: &wire)
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "PutObject", bucket: request.bucket, key: request.key)
        switch request.body.storage {
        case .bytes(let buffer):
            let crc = buffer.withUnsafeReadableBytes { CRC64.xz.checksum($0) }
            return try await sendDeclared(wire, body: .buffer(buffer), size: Int64(buffer.readableBytes), crc: crc, check)
                .putResult
        case .file(let path):
            let size = try FileIdentity(path: path).size
            let crc = try await Self.crc64(ofFile: path, offset: 0, length: size)
            let chunks = FileChunks(path: path, offset: 0, length: size)
            return try await sendDeclared(wire, body: .file(chunks), size: size, crc: crc, check).putResult
        case .stream(let makeStream, let length):
            let tally = StreamTally()
            wire.body = .stream({ .stream(tally.tallying(makeStream()), length: length.map { .known($0) } ?? .unknown) })
            let response = try await performDiscardingBody(wire)
            let serverCRC = try response.crc64()
            return OSSPutObjectResult(
                etag: response.header("ETag") ?? "", crc64: serverCRC,
                crcVerification: try check.verify(server: serverCRC, client: tally.crc), size: tally.count,
                requestID: response.requestID, versionID: response.header(OSSHeader.versionID))
        }
    }

    /// The CRC-64 of a byte range of a file (see ``FileChecksummer``); with `previous`, the CRC
    /// of the bytes whose CRC that was followed by the range (an append's whole-object CRC).
    static func crc64(
        ofFile path: String, offset: Int64, length: Int64, resumingFrom previous: UInt64? = nil
    ) async throws -> UInt64 {
        do {
            return try await FileChecksummer().checksum(path: path, offset: offset, length: length, resumingFrom: previous)
        } catch let failure as FileChecksummer.Failure {
            throw OSSClientError.localFile(path: path, reason: failure.description)
        }
    }
}
