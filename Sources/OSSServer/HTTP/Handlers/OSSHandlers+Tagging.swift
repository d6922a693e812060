import Hummingbird
import OSSProtocol

/// PutObjectTagging, GetObjectTagging and DeleteObjectTagging (§3.5). The limits (10 tags, keys
/// of 128 and values of 256 characters, the allowed characters) are the storage engine's, which
/// applies them to every write that sets tags; this layer reads the two encodings.
extension OSSHandlers {
    func putObjectTagging(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let tagging = try OSSTagging(parsing: try await Self.smallBody(call, limit: 64 << 10))
        let object = try await storage.putObjectTags(
            bucket: bucket, key: key, versionID: Self.versionID(call), tags: tagging.dictionary)
        return Self.empty(.ok, headers: Self.versionHeaders(object))
    }

    func objectTagging(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let object = try await storage.objectTags(bucket: bucket, key: key, versionID: Self.versionID(call))
        return Self.xmlResponse(OSSTagging(object.attributes.tags), headers: Self.versionHeaders(object))
    }

    func deleteObjectTagging(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let object = try await storage.deleteObjectTags(bucket: bucket, key: key, versionID: Self.versionID(call))
        return Self.empty(.noContent, headers: Self.versionHeaders(object))
    }

    /// The `x-oss-tagging` header of a write, or no tags.
    static func taggingHeader(_ request: OSSRequest) throws(OSSError) -> [String: String] {
        guard let value = request.header(OSSHeader.tagging) else { return [:] }
        return try OSSTagging(headerValue: value).dictionary
    }
}
