import Foundation
import Crypto
import Hummingbird
import OSSProtocol

/// Reading what a request asks for: query parameters, small XML bodies and write headers.
extension OSSHandlers {
    /// An integer query parameter: `value` when absent or empty, InvalidArgument below the range,
    /// and above it the upper bound (`max-uploads`, `max-parts`) or, with `refusingAbove`,
    /// InvalidArgument.
    static func intParameter(
        _ call: OSSCall, _ name: String, default value: Int, range: ClosedRange<Int>, refusingAbove: Bool = false
    ) throws(OSSError) -> Int {
        guard let text = call.query(name), !text.isEmpty else { return value }
        guard let number = Int(text), number >= range.lowerBound, !refusingAbove || number <= range.upperBound else {
            throw .invalidArgument("\(name) must be an integer between \(range.lowerBound) and \(range.upperBound).", name: name, value: text)
        }
        return min(number, range.upperBound)
    }

    /// `max-keys` of the object, version and bucket listings: 100 by default (S3's 1,000 for an
    /// S3 request); above 1,000 OSS answers InvalidArgument rather than a shorter page, S3 a page
    /// of 1,000.
    static func maxKeys(_ call: OSSCall) throws(OSSError) -> Int {
        call.s3 != nil
            ? try intParameter(call, "max-keys", default: 1000, range: 1...1000)
            : try intParameter(call, "max-keys", default: 100, range: 1...1000, refusingAbove: true)
    }

    static func partNumber(_ call: OSSCall) throws(OSSError) -> Int {
        let text = call.query("partNumber") ?? ""
        let maximum = OSSCompleteMultipartUpload.maximumParts
        guard let number = Int(text), (1...maximum).contains(number) else {
            throw .invalidArgument("Part number must be an integer between 1 and \(maximum), inclusive.", name: "partNumber", value: text)
        }
        return number
    }

    /// Collects a small XML request body, refusing more than `limit` bytes, and checks
    /// Content-MD5 when the client sent one.
    /// With `zeroPaddedDigest`, a Content-MD5 of the 16-byte digest followed by 4 zero bytes is
    /// accepted too: Alibaba's C SDK sends that shape on DeleteMultipleObjects and OSS takes it;
    /// any other wrong digest stays refused.
    static func smallBody(_ call: OSSCall, limit: Int, zeroPaddedDigest: Bool = false) async throws -> [UInt8] {
        var bytes = [UInt8]()
        for try await chunk in call.request.body {
            guard bytes.count + chunk.readableBytes <= limit else {
                throw OSSError.invalidArgument("The request body is larger than \(limit) bytes.", name: "Content-Length", value: call.header("content-length") ?? "")
            }
            bytes += chunk.readableBytesView
        }
        if let contentMD5 = call.header("content-md5") {
            let digest = Array(Insecure.MD5.hash(data: bytes))
            if zeroPaddedDigest, let sent = Data(base64Encoded: contentMD5), Array(sent) == digest + [0, 0, 0, 0] {
                return bytes
            }
            try OSSContentMD5.verify(contentMD5, digest: digest)
        }
        return bytes
    }

    /// What the client declared about the body: Content-MD5, our CRC-64 extension, the length.
    static func writeExpectations(_ call: OSSCall) throws -> WriteExpectations {
        var expectations = try digests(call.oss)
        let chunked = call.header("transfer-encoding")?.lowercased().contains("chunked") == true
        if let lengthText = call.header("content-length") {
            guard let length = Int(lengthText), length >= 0 else {
                throw OSSError.invalidArgument("Content-Length must be a non-negative integer.", name: "Content-Length", value: lengthText)
            }
            guard length <= 5 << 30 else { throw OSSError.entityTooLarge() }
            expectations.contentLength = length
        } else if !chunked {
            throw OSSError.missingContentLength()
        }
        if call.s3?.declared != nil { expectations.declaredChecksum = call.s3?.computed }
        return expectations
    }

    /// The digests a client declared for a body: `Content-MD5` and the CRC-64 extension
    /// (`x-oss-hash-crc64ecma`, §6.2), from headers or PostObject form fields.
    static func digests(_ request: OSSRequest) throws -> WriteExpectations {
        var expectations = WriteExpectations()
        if let md5 = request.header("content-md5") {
            expectations.contentMD5 = try OSSContentMD5.digest(from: md5)
        }
        if let crc = request.header(OSSHeader.crc64) {
            guard let value = UInt64(crc) else {
                throw OSSError.invalidArgument("x-oss-hash-crc64ecma must be an unsigned decimal.", name: OSSHeader.crc64, value: crc)
            }
            expectations.crc64 = value
        }
        return expectations
    }

    /// ``attributes(_:)`` of a write that creates an object or upload in `bucket`: without
    /// `x-oss-storage-class` the object takes the bucket's storage class, as on OSS.
    func newObjectAttributes(_ request: OSSRequest, bucket: String) async throws -> ObjectAttributes {
        var attributes = try Self.attributes(request)
        if request.header(OSSHeader.storageClass) == nil {
            attributes.storageClass = try await storage.bucket(bucket).storageClass
        }
        return attributes
    }

    /// Content headers, user metadata, storage class, ACL and tags of a write.
    static func attributes(_ request: OSSRequest) throws -> ObjectAttributes {
        var attributes = ObjectAttributes()
        attributes.contentType = request.header("content-type") ?? "application/octet-stream"
        attributes.cacheControl = request.header("cache-control")
        attributes.contentDisposition = request.header("content-disposition")
        attributes.contentEncoding = request.header("content-encoding")
        attributes.contentLanguage = request.header("content-language")
        attributes.expires = request.header("expires")
        if let storageClass = try storageClassHeader(request) { attributes.storageClass = storageClass }
        if let acl = try objectACLHeader(request) { attributes.acl = acl }
        attributes.userMetadata = try OSSUserMetadata(headers: request.headers).entries
        attributes.tags = try taggingHeader(request)
        return attributes
    }

    /// `x-oss-storage-class`, checked; `nil` when absent. Every class is stored and served as Standard.
    static func storageClassHeader(_ request: OSSRequest) throws(OSSError) -> OSSStorageClass? {
        guard let value = request.header(OSSHeader.storageClass) else { return nil }
        let storageClass = OSSStorageClass(rawValue: value)
        guard storageClass.isKnown else {
            throw .invalidArgument("Unsupported storage class.", name: OSSHeader.storageClass, value: value)
        }
        return storageClass
    }

    /// `x-oss-forbid-overwrite: true`.
    static func forbidsOverwrite(_ request: OSSRequest) -> Bool {
        request.header(OSSHeader.forbidOverwrite)?.lowercased() == "true"
    }

    /// The `versionId` a request addresses; `nil` (the latest version) when absent or empty, as
    /// oss2 sends it empty when no version is wanted.
    static func versionID(_ call: OSSCall) -> String? {
        versionID(call.query("versionId"))
    }

    /// A version id as sent (query, copy source, DeleteMultipleObjects entry); empty means none.
    static func versionID(_ text: String?) -> String? {
        text.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `x-oss-version-id` of `record`, when its bucket names versions.
    static func versionHeaders(_ record: ObjectRecord) -> HTTPFields {
        var headers = HTTPFields()
        if let versionID = record.versionID { headers[.ossVersionID] = versionID }
        return headers
    }

    /// `x-oss-copy-source: /bucket/key[?versionId=…]`, the key percent-encoded (oss2 encodes `/`
    /// too, v2 keeps it); the version is `nil` (the latest) when not named.
    static func copySource(_ call: OSSCall) throws(OSSError) -> (bucket: String, key: String, versionID: String?) {
        let header = call.header(OSSHeader.copySource) ?? ""
        var path = Substring(header)
        var versionID: String?
        if let mark = path.range(of: "?versionId=") {
            versionID = String(path[mark.upperBound...])
            path = path[..<mark.lowerBound]
        }
        if path.hasPrefix("/") { path = path.dropFirst() }
        guard let slash = path.firstIndex(of: "/") else {
            throw .invalidArgument("x-oss-copy-source must be /bucket/key.", name: OSSHeader.copySource, value: header)
        }
        let bucket = String(path[..<slash])
        let key: String
        do {
            key = try OSSPercentEncoding.decode(path[path.index(after: slash)...])
        } catch {
            throw .invalidArgument("x-oss-copy-source is not valid percent-encoded UTF-8.", name: OSSHeader.copySource, value: header)
        }
        try OSSNames.validateBucketName(bucket)
        try OSSNames.validateObjectKey(key)
        return (bucket, key, Self.versionID(versionID))
    }
}
