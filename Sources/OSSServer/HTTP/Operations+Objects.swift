import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

extension OSSOperations {
    func putObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        for condition in ["If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"]
        where call.header(condition) != nil {
            throw OSSError.notImplemented(header: condition)
        }
        let expectations = try Self.writeExpectations(call)
        let record = try await storage.putObject(
            bucket: bucket, key: key, body: call.request.body, attributes: try Self.attributes(call),
            expectations: expectations, forbidOverwrite: call.header("x-oss-forbid-overwrite")?.lowercased() == "true")
        var headers = HTTPFields()
        headers[.eTag] = record.etag
        headers[OSSHeaderName.crc64] = String(record.crc64)
        if let md5 = record.contentMD5 { headers[OSSHeaderName.contentMD5] = md5 }
        return Self.empty(.ok, headers: headers)
    }

    func getObject(_ call: OSSCall, bucket: String, key: String, headOnly: Bool) async throws -> Response {
        let opened = try await storage.openObject(bucket: bucket, key: key)
        let record = opened.record
        try Self.checkConditions(call, record: record)
        var headers = Self.objectHeaders(record)
        headers[.acceptRanges] = "bytes"
        Self.applyOverrides(call, to: &headers)

        var status = HTTPResponse.Status.ok
        var range: Range<Int>?
        if let rangeHeader = call.header("range") {
            let standard = call.header("x-oss-range-behavior")?.lowercased() == "standard"
            switch ByteRange.resolve(rangeHeader, size: record.size, standard: standard) {
            case .whole: break
            case .invalid where standard: throw OSSError.invalidRange(requested: rangeHeader, objectSize: Int64(record.size))
            case .invalid: break
            case .range(let resolved):
                range = resolved
                status = .partialContent
                headers[.contentRange] = "bytes \(resolved.lowerBound)-\(resolved.upperBound - 1)/\(record.size)"
            }
        }
        let length = range?.count ?? record.size
        headers[.contentLength] = String(length)
        // A ranged GET still carries the whole object's CRC, as OSS does.
        guard !headOnly, length > 0 else { return Response(status: status, headers: headers) }

        let body = try opened.body(range: range, verify: true)
        let logger = call.context.logger
        let responseBody = ResponseBody(contentLength: length) { writer in
            do {
                for try await chunk in body { try await writer.write(chunk) }
                try await writer.finish(nil)
            } catch {
                // Never end a response cleanly with bytes that failed their CRC: the connection
                // is dropped, so the client sees a short body and its own check fails.
                logger.critical("aborting GET \(bucket)/\(key): \(error)")
                throw error
            }
        }
        return Response(status: status, headers: headers, body: responseBody)
    }

    func objectMeta(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let record = try await storage.objectInfo(bucket: bucket, key: key)
        var headers = HTTPFields()
        headers[.eTag] = record.etag
        headers[.contentLength] = String(record.size)
        headers[.lastModified] = OSSDateFormat.httpDate(record.lastModified)
        headers[OSSHeaderName.crc64] = String(record.crc64)
        headers[HTTPField.Name("x-oss-last-access-time")!] = OSSDateFormat.httpDate(record.lastModified)
        return Response(status: .ok, headers: headers)
    }

    func deleteObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        try await storage.deleteObject(bucket: bucket, key: key)
        return Self.empty(.noContent)
    }

    func deleteMultipleObjects(_ call: OSSCall, bucket: String) async throws -> Response {
        let body = try await Self.smallBody(call, limit: 2 << 20)
        let (quiet, keys) = try RequestBodies.deleteRequest(body)
        for key in keys { try ObjectName.validate(key) }
        try await storage.deleteObjects(bucket: bucket, keys: keys)
        let encode = call.query("encoding-type") == "url"
        var xml = OSSXMLWriter()
        xml.element("DeleteResult") { xml in
            if encode { xml.element("EncodingType", "url") }
            if !quiet {
                for key in keys {
                    xml.element("Deleted") { $0.element("Key", encode ? OSSPercentEncoding.encode(key) : key) }
                }
            }
        }
        return Self.xmlResponse(xml)
    }

    // MARK: Request headers

    /// What the client declared about the body: Content-MD5, our CRC-64 extension, the length.
    static func writeExpectations(_ call: OSSCall) throws -> WriteExpectations {
        var expectations = WriteExpectations()
        if let md5 = call.header("content-md5") {
            guard let digest = Data(base64Encoded: md5), digest.count == 16 else { throw OSSError.invalidDigest(md5) }
            expectations.contentMD5 = Array(digest)
        }
        if let crc = call.header(OSSHeader.crc64) {
            guard let value = UInt64(crc) else {
                throw OSSError.invalidArgument("x-oss-hash-crc64ecma must be an unsigned decimal.", name: OSSHeader.crc64, value: crc)
            }
            expectations.crc64 = value
        }
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
        return expectations
    }

    /// Content headers, user metadata, storage class and ACL of a write.
    static func attributes(_ call: OSSCall) throws -> ObjectAttributes {
        var attributes = ObjectAttributes()
        attributes.contentType = call.header("content-type") ?? "application/octet-stream"
        attributes.cacheControl = call.header("cache-control")
        attributes.contentDisposition = call.header("content-disposition")
        attributes.contentEncoding = call.header("content-encoding")
        attributes.expires = call.header("expires")
        if let storageClass = call.header("x-oss-storage-class") {
            guard ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"].contains(storageClass) else {
                throw OSSError.invalidArgument("Unsupported storage class.", name: "x-oss-storage-class", value: storageClass)
            }
            attributes.storageClass = storageClass
        }
        if let acl = call.header("x-oss-object-acl") {
            guard ["default", "private", "public-read", "public-read-write"].contains(acl) else {
                throw OSSError.invalidArgument("no such object access control exists", name: "x-oss-object-acl", value: acl)
            }
            attributes.acl = acl
        }
        var total = 0
        for (name, value) in call.oss.headers where name.lowercased().hasPrefix("x-oss-meta-") {
            let metaName = String(name.lowercased().dropFirst("x-oss-meta-".count))
            guard !metaName.isEmpty, metaName.utf8.allSatisfy({ $0 == 0x2D || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw OSSError.invalidArgument("User metadata names may contain only letters, digits and '-'.", name: name, value: value)
            }
            total += metaName.utf8.count + value.utf8.count
            attributes.userMetadata[metaName] = value.trimmingCharacters(in: .whitespaces)
        }
        guard total <= 8192 else {
            throw OSSError.invalidArgument("User metadata must not exceed 8 KB in total.", name: "x-oss-meta-*", value: String(total))
        }
        return attributes
    }

    // MARK: Response headers

    static func objectHeaders(_ record: ObjectRecord) -> HTTPFields {
        var headers = HTTPFields()
        let attributes = record.attributes
        headers[.contentType] = attributes.contentType
        headers[.eTag] = record.etag
        headers[.lastModified] = OSSDateFormat.httpDate(record.lastModified)
        headers[OSSHeaderName.crc64] = String(record.crc64)
        headers[OSSHeaderName.objectType] = record.type.rawValue
        headers[OSSHeaderName.storageClass] = attributes.storageClass
        if let md5 = record.contentMD5 { headers[OSSHeaderName.contentMD5] = md5 }
        if let value = attributes.cacheControl { headers[.cacheControl] = value }
        if let value = attributes.contentDisposition { headers[.contentDisposition] = value }
        if let value = attributes.contentEncoding { headers[.contentEncoding] = value }
        if let value = attributes.expires { headers[.expires] = value }
        for (name, value) in attributes.userMetadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name("x-oss-meta-" + name) { headers[field] = value }
        }
        return headers
    }

    static let overrides: [(query: String, header: HTTPField.Name)] = [
        ("response-content-type", .contentType), ("response-content-language", .contentLanguage),
        ("response-expires", .expires), ("response-cache-control", .cacheControl),
        ("response-content-disposition", .contentDisposition), ("response-content-encoding", .contentEncoding),
    ]

    static func applyOverrides(_ call: OSSCall, to headers: inout HTTPFields) {
        for (query, header) in overrides {
            if let value = call.query(query) { headers[header] = value }
        }
    }

    /// If-Match / If-Unmodified-Since fail with 412; If-None-Match / If-Modified-Since with 304.
    static func checkConditions(_ call: OSSCall, record: ObjectRecord) throws(OSSError) {
        let modified = record.lastModified.timeIntervalSince1970.rounded(.down)
        if let match = call.header("if-match"), !ETag.matches(match, record.etag) {
            throw .preconditionFailed(condition: "If-Match")
        }
        if let since = call.header("if-unmodified-since").flatMap(OSSDateFormat.date(httpDate:)),
            modified > since.timeIntervalSince1970
        {
            throw .preconditionFailed(condition: "If-Unmodified-Since")
        }
        if let noneMatch = call.header("if-none-match"), ETag.matches(noneMatch, record.etag) {
            throw OSSError(code: "NotModified", status: 304, message: "Not Modified")
        }
        if let since = call.header("if-modified-since").flatMap(OSSDateFormat.date(httpDate:)),
            modified <= since.timeIntervalSince1970
        {
            throw OSSError(code: "NotModified", status: 304, message: "Not Modified")
        }
    }
}

/// MD5 of a small in-memory body (XML requests).
enum MD5Digest {
    static func of(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }
}

/// The `Range` header of a GET (§3.6): a single `bytes=` range. OSS by default serves the whole
/// object for a range it cannot satisfy exactly (an end past the object included);
/// `x-oss-range-behavior: standard` clamps the end and answers 416 for an impossible start.
enum ByteRange: Equatable {
    case whole
    case invalid
    case range(Range<Int>)

    static func resolve(_ header: String, size: Int, standard: Bool) -> ByteRange {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes=") else { return .invalid }
        let spec = text.dropFirst("bytes=".count)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .invalid }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int(last), suffix > 0, size > 0 else { return .invalid }
            guard suffix <= size || standard else { return .whole }
            return .range(max(0, size - suffix)..<size)
        }
        guard let start = Int(first), start >= 0, start < size else { return .invalid }
        if last.isEmpty { return .range(start..<size) }
        guard let end = Int(last), end >= start else { return .invalid }
        guard end < size || standard else { return .whole }
        return .range(start..<min(end + 1, size))
    }
}
