import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

extension OSSOperations {
    func initiateMultipartUpload(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let upload = try await storage.initiateMultipartUpload(bucket: bucket, key: key, attributes: try Self.attributes(call))
        let encode = call.query("encoding-type") == "url"
        var xml = OSSXMLWriter()
        xml.element("InitiateMultipartUploadResult") { xml in
            xml.element("Bucket", bucket)
            xml.element("Key", encode ? OSSPercentEncoding.encode(key) : key)
            xml.element("UploadId", upload.uploadID)
            if encode { xml.element("EncodingType", "url") }
        }
        return Self.xmlResponse(xml)
    }

    func uploadPart(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let partNumber = try Self.partNumber(call)
        let part = try await storage.uploadPart(
            bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, body: call.request.body,
            expectations: try Self.writeExpectations(call))
        var headers = HTTPFields()
        headers[.eTag] = part.etag
        headers[OSSHeaderName.crc64] = String(part.crc64)
        if let md5 = ETag.md5(fromETag: part.etag) { headers[OSSHeaderName.contentMD5] = Data(md5).base64EncodedString() }
        return Self.empty(.ok, headers: headers)
    }

    func uploadPartCopy(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let partNumber = try Self.partNumber(call)
        let (sourceBucket, sourceKey) = try Self.copySource(call)
        let source = try await storage.openObject(bucket: sourceBucket, key: sourceKey)
        try Self.checkCopySourceConditions(call, record: source.record)
        var range: Range<Int>?
        if let header = call.header("x-oss-copy-source-range") {
            guard case .range(let resolved) = ByteRange.resolve(header, size: source.record.size, standard: true) else {
                throw OSSError.invalidArgument("The copy source range is not valid.", name: "x-oss-copy-source-range", value: header)
            }
            range = resolved
        }
        let part = try await storage.uploadPartCopy(
            bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, source: source, range: range)
        var headers = HTTPFields()
        headers[.eTag] = part.etag
        // Unlike OSS, a copied part always carries its CRC-64.
        headers[OSSHeaderName.crc64] = String(part.crc64)
        var xml = OSSXMLWriter()
        xml.element("CopyPartResult") { xml in
            xml.element("LastModified", OSSDateFormat.iso8601(part.lastModified))
            xml.element("ETag", part.etag)
        }
        return Self.xmlResponse(xml, headers: headers)
    }

    func completeMultipartUpload(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let selection: PartSelection
        if call.header("x-oss-complete-all")?.lowercased() == "yes" {
            selection = .all
        } else {
            selection = .listed(try RequestBodies.completedParts(try await Self.smallBody(call, limit: 4 << 20)))
        }
        var objectACL: String?
        if let acl = call.header("x-oss-object-acl") { objectACL = acl }
        let object = try await storage.completeMultipartUpload(
            bucket: bucket, key: key, uploadID: uploadID, parts: selection, objectACL: objectACL,
            forbidOverwrite: call.header("x-oss-forbid-overwrite")?.lowercased() == "true")
        let encode = call.query("encoding-type") == "url"
        var headers = HTTPFields()
        headers[.eTag] = object.etag
        headers[OSSHeaderName.crc64] = String(object.crc64)
        var xml = OSSXMLWriter()
        xml.element("CompleteMultipartUploadResult") { xml in
            if encode { xml.element("EncodingType", "url") }
            xml.element("Location", "http://\(Self.endpoint(of: call))/\(bucket)/\(OSSPercentEncoding.encode(key, keepingSlash: true))")
            xml.element("Bucket", bucket)
            xml.element("Key", encode ? OSSPercentEncoding.encode(key) : key)
            xml.element("ETag", object.etag)
        }
        return Self.xmlResponse(xml, headers: headers)
    }

    func abortMultipartUpload(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        try await storage.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        return Self.empty(.noContent)
    }

    func listParts(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let maxParts = try Self.intParameter(call, "max-parts", default: 1000, range: 1...1000)
        let marker = try Self.intParameter(call, "part-number-marker", default: 0, range: 0...10_000)
        let listing = try await storage.listParts(
            bucket: bucket, key: key, uploadID: uploadID, query: PartListQuery(partNumberMarker: marker, maxParts: maxParts))
        let encode = call.query("encoding-type") == "url"
        var xml = OSSXMLWriter()
        xml.element("ListPartsResult") { xml in
            if encode { xml.element("EncodingType", "url") }
            xml.element("Bucket", bucket)
            xml.element("Key", encode ? OSSPercentEncoding.encode(key) : key)
            xml.element("UploadId", uploadID)
            xml.element("StorageClass", listing.upload.attributes.storageClass)
            xml.element("PartNumberMarker", marker)
            xml.element("NextPartNumberMarker", listing.nextPartNumberMarker)
            xml.element("MaxParts", maxParts)
            xml.element("IsTruncated", listing.isTruncated)
            for part in listing.parts {
                xml.element("Part") { xml in
                    xml.element("PartNumber", part.partNumber)
                    xml.element("LastModified", OSSDateFormat.iso8601(part.lastModified))
                    xml.element("ETag", part.etag)
                    xml.element("HashCrc64ecma", part.crc64)
                    xml.element("Size", part.size)
                }
            }
        }
        return Self.xmlResponse(xml)
    }

    func listMultipartUploads(_ call: OSSCall, bucket: String) async throws -> Response {
        let maxUploads = try Self.intParameter(call, "max-uploads", default: 1000, range: 1...1000)
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let keyMarker = call.query("key-marker") ?? ""
        let uploadIDMarker = call.query("upload-id-marker") ?? ""
        let listing = try await storage.listMultipartUploads(
            bucket: bucket,
            query: UploadListQuery(
                prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker,
                maxUploads: maxUploads))
        let encode = call.query("encoding-type") == "url"
        func text(_ value: String) -> String { encode ? OSSPercentEncoding.encode(value) : value }
        var xml = OSSXMLWriter()
        xml.element("ListMultipartUploadsResult") { xml in
            xml.element("Bucket", bucket)
            if encode { xml.element("EncodingType", "url") }
            xml.element("KeyMarker", text(keyMarker))
            xml.element("UploadIdMarker", uploadIDMarker)
            xml.element("NextKeyMarker", text(listing.nextKeyMarker))
            xml.element("NextUploadIdMarker", listing.nextUploadIDMarker)
            xml.element("Delimiter", text(delimiter ?? ""))
            xml.element("Prefix", text(prefix))
            xml.element("MaxUploads", maxUploads)
            xml.element("IsTruncated", listing.isTruncated)
            for upload in listing.uploads {
                xml.element("Upload") { xml in
                    xml.element("Key", text(upload.key))
                    xml.element("UploadId", upload.uploadID)
                    xml.element("StorageClass", upload.attributes.storageClass)
                    xml.element("Initiated", OSSDateFormat.iso8601(upload.initiated))
                }
            }
            for commonPrefix in listing.commonPrefixes {
                xml.element("CommonPrefixes") { $0.element("Prefix", text(commonPrefix)) }
            }
        }
        return Self.xmlResponse(xml)
    }

    // MARK: Helpers

    static func partNumber(_ call: OSSCall) throws(OSSError) -> Int {
        let text = call.query("partNumber") ?? ""
        guard let number = Int(text), (1...10_000).contains(number) else {
            throw .invalidArgument("Part number must be an integer between 1 and 10000, inclusive.", name: "partNumber", value: text)
        }
        return number
    }

    /// `x-oss-copy-source: /bucket/key` (the key percent-encoded).
    static func copySource(_ call: OSSCall) throws(OSSError) -> (bucket: String, key: String) {
        let header = call.header("x-oss-copy-source") ?? ""
        var path = Substring(header)
        if path.hasPrefix("/") { path = path.dropFirst() }
        guard let slash = path.firstIndex(of: "/") else {
            throw .invalidArgument("x-oss-copy-source must be /bucket/key.", name: "x-oss-copy-source", value: header)
        }
        let bucket = String(path[..<slash])
        let encodedKey = path[path.index(after: slash)...]
        let key: String
        do {
            key = try OSSPercentEncoding.decode(encodedKey)
        } catch {
            throw .invalidArgument("x-oss-copy-source is not valid percent-encoded UTF-8.", name: "x-oss-copy-source", value: header)
        }
        try BucketName.validate(bucket)
        try ObjectName.validate(key)
        return (bucket, key)
    }

    static func checkCopySourceConditions(_ call: OSSCall, record: ObjectRecord) throws(OSSError) {
        let modified = record.lastModified.timeIntervalSince1970.rounded(.down)
        if let match = call.header("x-oss-copy-source-if-match"), !ETag.matches(match, record.etag) {
            throw .preconditionFailed(condition: "x-oss-copy-source-if-match")
        }
        if let noneMatch = call.header("x-oss-copy-source-if-none-match"), ETag.matches(noneMatch, record.etag) {
            throw .preconditionFailed(condition: "x-oss-copy-source-if-none-match")
        }
        if let since = call.header("x-oss-copy-source-if-unmodified-since").flatMap(OSSDateFormat.date(httpDate:)),
            modified > since.timeIntervalSince1970
        {
            throw .preconditionFailed(condition: "x-oss-copy-source-if-unmodified-since")
        }
        if let since = call.header("x-oss-copy-source-if-modified-since").flatMap(OSSDateFormat.date(httpDate:)),
            modified <= since.timeIntervalSince1970
        {
            throw .preconditionFailed(condition: "x-oss-copy-source-if-modified-since")
        }
    }
}
