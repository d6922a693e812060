import OSSProtocol

extension OSSClient {
    /// Creates or replaces a symlink (PutSymlink) and returns the link's ETag.
    /// - Throws: ``OSSClientError/service(_:)`` with `FileAlreadyExists` under
    ///   ``OSSObjectWriteOptions/forbidOverwrite``, `InvalidArgument` for an invalid target key.
    @discardableResult
    public func putSymlink(_ request: OSSPutSymlinkRequest) async throws -> String {
        var wire = WireRequest("PutSymlink", .PUT, bucket: request.bucket, key: request.key)
        wire.query("symlink", "")
        // Encoded, so that every key byte survives a header; the server decodes it once.
        wire.header(OSSHeader.symlinkTarget, OSSPercentEncoding.encode(request.target, keepingSlash: true))
        request.options.apply(to: &wire)
        let response = try await performDiscardingBody(wire)
        return response.header("ETag") ?? ""
    }

    /// A symlink's target and the link's own headers (GetSymlink).
    /// - Throws: ``OSSClientError/service(_:)`` with `NotSymlink` for an ordinary object,
    ///   `NoSuchKey` for a missing one; ``OSSClientError/invalidResponse(_:)`` without a target.
    public func getSymlink(bucket: String, key: String) async throws -> OSSSymlink {
        var wire = WireRequest("GetSymlink", .GET, bucket: bucket, key: key)
        wire.query("symlink", "")
        let response = try await performDiscardingBody(wire)
        guard let encoded = response.header(OSSHeader.symlinkTarget) else {
            throw OSSClientError.invalidResponse("GetSymlink: no \(OSSHeader.symlinkTarget) header")
        }
        let metadata = try OSSObjectMetadata(headers: response.headers)
        return OSSSymlink(
            target: (try? OSSPercentEncoding.decode(encoded)) ?? encoded, etag: metadata.etag,
            lastModified: metadata.lastModified, contentType: metadata.contentType, metadata: metadata.metadata,
            requestID: response.requestID)
    }
}
