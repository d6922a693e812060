import CRC64
import Foundation
import NIOCore
import OSSProtocol

extension OSSClient {
    /// Stores an object with a signed PostObject form (§3.8), CRC-checked as
    /// ``OSSUploadBody`` describes: for bytes and files the CRC-64 goes into the form, so the
    /// server refuses a damaged file and stores nothing.
    ///
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when the file was damaged on the way;
    ///   ``OSSClientError/invalidArgument(_:)`` for a key containing `${filename}` (a form would
    ///   substitute it); ``OSSClientError/service(_:)`` for OSS errors.
    public func postObject(_ request: OSSPostObjectRequest) async throws -> OSSPutObjectResult {
        guard !request.key.contains("${filename}") else {
            throw OSSClientError.invalidArgument(
                "A form would replace ${filename} in the key '\(request.key)'; use putObject for this key.")
        }
        var described = WireRequest("PostObject", .POST, bucket: request.bucket, key: request.key)
        request.options.apply(to: &described)
        var fields = [OSSPostForm.Field(name: "key", value: request.key)]
        fields += described.headers.map { OSSPostForm.Field(name: $0.name, value: $0.value) }
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "PostObject", bucket: request.bucket, key: request.key)

        var declared: (crc: UInt64, size: Int64)?
        switch request.body.storage {
        case .bytes(let buffer):
            declared = (buffer.withUnsafeReadableBytes { CRC64.xz.checksum($0) }, Int64(buffer.readableBytes))
        case .file(let path):
            let size = try FileIdentity(path: path).size
            declared = (try await Self.crc64(ofFile: path, offset: 0, length: size), size)
        case .stream:
            break
        }
        if let declared, check.enabled { fields.append(OSSPostForm.Field(name: OSSHeader.crc64, value: String(declared.crc))) }
        fields.append(OSSPostForm.Field(name: "success_action_status", value: "200"))

        // The policy is checked when the post starts; an hour leaves room for retries.
        let form = try await signedForm(
            bucket: request.bucket, fields: fields,
            conditions: [.equals(field: "bucket", value: request.bucket)]
                + fields.map { .equals(field: $0.name, value: $0.value) },
            expiration: Date().addingTimeInterval(3600), version: configuration.signatureVersion)
        let fileName = request.key.split(separator: "/").last.map(String.init) ?? "file"
        let multipart = MultipartFormEncoding(
            fields: form.fields, fileName: fileName, fileContentType: request.options.contentType)

        var wire = WireRequest("PostObject", .POST, bucket: request.bucket)
        wire.isSigned = false
        wire.header("Content-Type", multipart.contentType)
        let tally = StreamTally()
        switch request.body.storage {
        case .bytes(let buffer):
            var body = multipart.head
            body.writeImmutableBuffer(buffer)
            body.writeImmutableBuffer(multipart.tail)
            wire.body = .buffer(body)
        case .file(let path):
            let chunks = FileChunks(path: path, offset: 0, length: declared?.size ?? 0)
            wire.body = .framedFile(FramedFileChunks(head: multipart.head, file: chunks, tail: multipart.tail))
        case .stream(let makeStream, let length):
            let framing = Int64(multipart.head.readableBytes + multipart.tail.readableBytes)
            wire.body = .stream({
                .stream(
                    tally.tallying(makeStream(), head: multipart.head, tail: multipart.tail),
                    length: length.map { .known($0 + framing) } ?? .unknown)
            })
        }
        let response: WireResponse
        do {
            response = try await performDiscardingBody(wire)
        } catch {
            throw OSSClientError.fromDeclaredCRCRefusal(error, operation: "PostObject", bucket: request.bucket, key: request.key)
        }
        let serverCRC = try response.crc64()
        return OSSPutObjectResult(
            etag: response.header("ETag") ?? "", crc64: serverCRC,
            crcVerification: try check.verify(server: serverCRC, client: declared?.crc ?? tally.crc),
            size: declared?.size ?? tally.count, requestID: response.requestID,
            versionID: response.header(OSSHeader.versionID))
    }
}
