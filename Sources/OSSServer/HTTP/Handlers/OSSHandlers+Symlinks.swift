import HTTPTypes
import Hummingbird
import OSSProtocol

/// PutSymlink and GetSymlink (§3.5). GET, HEAD and GetObjectMeta through a link serve the
/// target (its bytes, size and CRC-64); a dangling link is 404 `SymlinkTargetNotExist`.
extension OSSHandlers {
    func putSymlink(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        guard let header = call.header(OSSHeader.symlinkTarget), !header.isEmpty else {
            throw OSSError.invalidArgument(
                "PutSymlink needs x-oss-symlink-target.", name: OSSHeader.symlinkTarget, value: "")
        }
        // oss2 sends the target URL-encoded, v2 raw: decoding once is right for both (§3.5),
        // unless a raw target contains a % that does not start an escape, which stays as sent.
        let target = (try? OSSPercentEncoding.decode(header)) ?? header
        try OSSNames.validateObjectKey(target)
        let link = try await storage.putSymlink(
            bucket: bucket, key: key, target: target, attributes: try await newObjectAttributes(call.oss, bucket: bucket),
            forbidOverwrite: Self.forbidsOverwrite(call.oss))
        var headers = Self.versionHeaders(link)
        headers[.eTag] = link.etag
        return Self.empty(.ok, headers: headers)
    }

    func getSymlink(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let link = try await storage.symlink(bucket: bucket, key: key, versionID: Self.versionID(call))
        var headers = Self.versionHeaders(link)
        // Encoded, as OSS sends it: a header cannot carry every key byte raw. oss2 decodes it.
        headers[.ossSymlinkTarget] = OSSPercentEncoding.encode(link.symlinkTarget ?? "", keepingSlash: true)
        headers[.eTag] = link.etag
        headers[.lastModified] = OSSDateFormat.httpDate(link.lastModified)
        headers[.contentType] = link.attributes.contentType
        Self.addUserMetadata(link.attributes, to: &headers)
        return Self.empty(.ok, headers: headers)
    }
}
