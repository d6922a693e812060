import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

/// Building responses: XML documents, empty bodies and the headers of an object.
extension OSSHandlers {
    /// The `Owner` of a bucket and of everything in it: objects belong to their bucket's owner,
    /// whoever wrote them, as in OSS.
    func owner(of bucket: String) async throws(StorageError) -> OSSOwner {
        OSSOwner(id: try await storage.bucketOwner(bucket))
    }

    /// The resource group every bucket belongs to (`ResourceGroupId` of GetBucketInfo): this
    /// server has no resource groups, so it reports the default one.
    static let defaultResourceGroup = "rg-default"

    /// The `host:port` clients reached this server at, for the endpoint elements.
    static func endpoint(of call: OSSCall) -> String {
        var host = call.request.head.authority ?? "127.0.0.1"
        if let bucket = call.bucket, host.hasPrefix(bucket + ".") { host.removeFirst(bucket.count + 1) }
        return host
    }

    /// The URL of an object as a client reached it, for `Location` elements.
    static func location(of call: OSSCall, bucket: String, key: String) -> String {
        "http://\(endpoint(of: call))/\(bucket)/\(OSSPercentEncoding.encode(key, keepingSlash: true))"
    }

    /// What a write of a whole object answers with (PutObject, PostObject): `ETag`, the CRC-64
    /// of the stored bytes, the version it created and, for a Normal object, `Content-MD5`.
    static func writeHeaders(_ record: ObjectRecord) -> HTTPFields {
        var headers = versionHeaders(record)
        headers[.eTag] = record.etag
        headers[.ossCRC64] = String(record.crc64)
        if let md5 = record.contentMD5 { headers[.contentMD5] = md5 }
        return headers
    }

    static func xmlResponse(
        _ document: some OSSXMLDocument, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) -> Response {
        let body = ByteBuffer(string: document.xml)
        var headers = headers
        headers[.contentType] = "application/xml"
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    static func empty(_ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers)
    }

    /// What GET and HEAD report about an object (§3.6), before range and overrides. Read through
    /// a `symlink`, the bytes and their headers are the target's but the user metadata is the
    /// link's own, as OSS reports it.
    static func objectHeaders(_ record: ObjectRecord, through symlink: ObjectRecord? = nil) -> HTTPFields {
        // Read through a link, the version named is the link's: the one the request addressed.
        var headers = versionHeaders(symlink ?? record)
        let attributes = record.attributes
        headers[.contentType] = attributes.contentType
        headers[.eTag] = record.etag
        headers[.lastModified] = OSSDateFormat.httpDate(record.lastModified)
        headers[.ossCRC64] = String(record.crc64)
        headers[.ossObjectType] = record.type.rawValue
        headers[.ossStorageClass] = attributes.storageClass.rawValue
        if let md5 = record.contentMD5 { headers[.contentMD5] = md5 }
        if let value = attributes.cacheControl { headers[.cacheControl] = value }
        if let value = attributes.contentDisposition { headers[.contentDisposition] = value }
        if let value = attributes.contentEncoding { headers[.contentEncoding] = value }
        if let value = attributes.contentLanguage { headers[.contentLanguage] = value }
        if let value = attributes.expires { headers[.expires] = value }
        if !attributes.tags.isEmpty { headers[.ossTaggingCount] = String(attributes.tags.count) }
        if record.type == .appendable { headers[.ossNextAppendPosition] = String(record.size) }
        if let sealed = record.sealedTime { headers[.ossSealedTime] = OSSDateFormat.httpDate(sealed) }
        if let restore = record.restore?.header(at: Date()) { headers[.ossRestore] = restore }
        addUserMetadata(symlink?.attributes ?? attributes, to: &headers)
        return headers
    }

    static func addUserMetadata(_ attributes: ObjectAttributes, to headers: inout HTTPFields) {
        for (name, value) in OSSUserMetadata(attributes.userMetadata).headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
    }

    static let overrides: [(query: String, header: HTTPField.Name)] = [
        ("response-content-type", .contentType), ("response-content-language", .contentLanguage),
        ("response-expires", .expires), ("response-cache-control", .cacheControl),
        ("response-content-disposition", .contentDisposition), ("response-content-encoding", .contentEncoding),
    ]

    /// Sets the `response-*` overrides; a value with CR, LF or NUL, which no header may carry,
    /// is refused rather than served mangled.
    static func applyOverrides(_ call: OSSCall, to headers: inout HTTPFields) throws(OSSError) {
        for (query, header) in overrides {
            guard let value = call.query(query) else { continue }
            guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\u{0}" }) else {
                throw .invalidArgument("\(query) must not contain CR, LF or NUL.", name: query, value: value)
            }
            headers[header] = value
        }
    }
}
