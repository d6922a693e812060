import CRC64
import OSSProtocol

extension OSSClient {
    /// Appends bytes to an Appendable object (AppendObject), with the whole-object CRC declared
    /// in advance so that the server refuses a damaged append, and checked again on the answer.
    ///
    /// Never retried: an append that timed out may have been applied, and repeating it would
    /// either fail with `PositionNotEqualToLength` or, worse, store the bytes twice.
    ///
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when the appended bytes were damaged (the
    ///   server refused them and the object is unchanged, or its answer differs from the expected
    ///   CRC); ``OSSClientError/service(_:)`` with `PositionNotEqualToLength`, whose
    ///   ``OSSServiceError/nextAppendPosition`` and ``OSSServiceError/nextAppendCRC64`` say
    ///   where the object stands, or `ObjectNotAppendable` for a Normal, Multipart or Symlink object;
    ///   ``OSSClientError/invalidArgument(_:)`` for a stream body, a negative position, or a
    ///   missing previous CRC after position 0.
    public func appendObject(_ request: OSSAppendObjectRequest) async throws -> OSSAppendObjectResult {
        guard request.position >= 0 else {
            throw OSSClientError.invalidArgument("AppendObject position must be 0 or more, not \(request.position).")
        }
        if request.position > 0, request.previousCRC64 == nil, configuration.verifiesCRC64 {
            throw OSSClientError.invalidArgument(
                "AppendObject at position \(request.position) needs previousCRC64: pass the previous append's crc64, "
                    + "or the nextAppendCRC64 of a PositionNotEqualToLength error, or HeadObject's crc64.")
        }
        var wire = WireRequest("AppendObject", .POST, bucket: request.bucket, key: request.key)
        wire.query("append", "")
        wire.query("position", String(request.position))
        wire.isIdempotent = false
        request.options.apply(to: &wire)
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "AppendObject", bucket: request.bucket, key: request.key)
        let previous = request.position == 0 ? nil : request.previousCRC64
        let sent: DeclaredUpload
        let expected: UInt64
        switch request.body.storage {
        case .bytes(let buffer):
            var hasher = CRC64Hasher(.xz, resumingFrom: previous)
            buffer.withUnsafeReadableBytes { hasher.update($0) }
            expected = hasher.checksum
            sent = try await sendDeclared(
                wire, body: .buffer(buffer), size: Int64(buffer.readableBytes), crc: expected, check)
        case .file(let path):
            let size = try FileIdentity(path: path).size
            expected = try await Self.crc64(ofFile: path, offset: 0, length: size, resumingFrom: previous)
            sent = try await sendDeclared(
                wire, body: .file(FileChunks(path: path, offset: 0, length: size)), size: size, crc: expected, check)
        case .stream:
            throw OSSClientError.invalidArgument(
                "AppendObject needs bytes or a file, whose CRC is declared before sending: read the stream into bytes.")
        }
        return OSSAppendObjectResult(
            nextPosition: sent.nextAppendPosition ?? request.position + sent.size,
            crc64: sent.verification.isVerified ? expected : sent.serverCRC ?? expected,
            crcVerification: sent.verification, etag: sent.etag, size: sent.size, requestID: sent.requestID)
    }
}
