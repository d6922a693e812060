import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

extension OSSOperations {
    func listBuckets(_ call: OSSCall) async throws -> Response {
        let maxKeys = try Self.intParameter(call, "max-keys", default: 100, range: 1...1000)
        let prefix = call.query("prefix") ?? ""
        let marker = call.query("marker").flatMap { $0.isEmpty ? nil : $0 }
        let listing = try await storage.listBuckets(BucketListQuery(prefix: prefix, marker: marker, maxKeys: maxKeys))
        let endpoint = Self.endpoint(of: call)
        var xml = OSSXMLWriter()
        xml.element("ListAllMyBucketsResult") { xml in
            xml.element("Prefix", prefix)
            xml.element("Marker", marker ?? "")
            xml.element("MaxKeys", maxKeys)
            xml.element("IsTruncated", listing.isTruncated)
            if listing.isTruncated { xml.element("NextMarker", listing.nextMarker ?? "") }
            Self.owner(&xml)
            xml.element("Buckets") { xml in
                for bucket in listing.buckets {
                    xml.element("Bucket") { xml in
                        xml.element("CreationDate", OSSDateFormat.iso8601(bucket.creationDate))
                        xml.element("ExtranetEndpoint", endpoint)
                        xml.element("IntranetEndpoint", endpoint)
                        xml.element("Location", bucket.location)
                        xml.element("Name", bucket.name)
                        xml.element("Region", String(bucket.location.dropFirst("oss-".count)))
                        xml.element("StorageClass", bucket.storageClass)
                    }
                }
            }
        }
        return Self.xmlResponse(xml)
    }

    func createBucket(_ call: OSSCall, bucket: String) async throws -> Response {
        try BucketName.validate(bucket)
        let acl = call.header("x-oss-acl") ?? "private"
        guard ["private", "public-read", "public-read-write"].contains(acl) else {
            throw OSSError.invalidArgument("no such bucket access control exists", name: "x-oss-acl", value: acl)
        }
        let body = try await Self.smallBody(call, limit: 64 << 10)
        var storageClass = "Standard"
        if !body.isEmpty {
            let elements = try RequestBodies.leafElements(body, root: "CreateBucketConfiguration")
            storageClass = elements.last { $0.path == ["CreateBucketConfiguration", "StorageClass"] }?.text ?? storageClass
        }
        _ = try await storage.createBucket(bucket, acl: acl, storageClass: storageClass, location: location)
        var response = Response(status: .ok)
        response.headers[.location] = "/\(bucket)"
        response.headers[.contentLength] = "0"
        return response
    }

    func deleteBucket(_ call: OSSCall, bucket: String) async throws -> Response {
        try await storage.deleteBucket(bucket)
        return Self.empty(.noContent)
    }

    func bucketInfo(_ call: OSSCall, bucket: String) async throws -> Response {
        let record = try await storage.bucket(bucket)
        let endpoint = Self.endpoint(of: call)
        var xml = OSSXMLWriter()
        xml.element("BucketInfo") { xml in
            xml.element("Bucket") { xml in
                xml.element("AccessMonitor", "Disabled")
                xml.element("CreationDate", OSSDateFormat.iso8601(record.creationDate))
                xml.element("ExtranetEndpoint", endpoint)
                xml.element("IntranetEndpoint", endpoint)
                xml.element("Location", record.location)
                xml.element("StorageClass", record.storageClass)
                xml.element("TransferAcceleration", "Disabled")
                xml.element("CrossRegionReplication", "Disabled")
                xml.element("DataRedundancyType", "LRS")
                xml.element("Name", record.name)
                xml.element("ResourceGroupId", "rg-default")
                Self.owner(&xml)
                xml.element("AccessControlList") { $0.element("Grant", record.acl) }
                xml.element("ServerSideEncryptionRule") { $0.element("SSEAlgorithm", "None") }
                xml.element("BucketPolicy") { $0.element("LogBucket", ""); $0.element("LogPrefix", "") }
            }
        }
        return Self.xmlResponse(xml)
    }

    func bucketLocation(_ call: OSSCall, bucket: String) async throws -> Response {
        let record = try await storage.bucket(bucket)
        var xml = OSSXMLWriter()
        xml.element("LocationConstraint", record.location)
        return Self.xmlResponse(xml)
    }

    // MARK: Shared helpers

    static func owner(_ xml: inout OSSXMLWriter) {
        xml.element("Owner") { xml in
            xml.element("ID", "swift-oss")
            xml.element("DisplayName", "swift-oss")
        }
    }

    /// The `host:port` clients reached this server at, for the endpoint elements.
    static func endpoint(of call: OSSCall) -> String {
        var host = call.request.head.authority ?? "127.0.0.1"
        if let bucket = call.bucket, host.hasPrefix(bucket + ".") { host.removeFirst(bucket.count + 1) }
        return host
    }

    static func xmlResponse(_ xml: OSSXMLWriter, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let body = ByteBuffer(string: xml.output)
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

    static func intParameter(_ call: OSSCall, _ name: String, default value: Int, range: ClosedRange<Int>) throws(OSSError) -> Int {
        guard let text = call.query(name), !text.isEmpty else { return value }
        guard let number = Int(text), number >= range.lowerBound else {
            throw .invalidArgument("\(name) must be an integer between \(range.lowerBound) and \(range.upperBound).", name: name, value: text)
        }
        return min(number, range.upperBound)
    }

    /// Collects a small XML request body, refusing more than `limit` bytes, and checks
    /// Content-MD5 when the client sent one.
    static func smallBody(_ call: OSSCall, limit: Int) async throws -> [UInt8] {
        var bytes = [UInt8]()
        for try await chunk in call.request.body {
            guard bytes.count + chunk.readableBytes <= limit else {
                throw OSSError.invalidArgument("The request body is larger than \(limit) bytes.", name: "Content-Length", value: call.header("content-length") ?? "")
            }
            bytes += chunk.readableBytesView
        }
        if let contentMD5 = call.header("content-md5") {
            guard let expected = Data(base64Encoded: contentMD5), expected.count == 16 else {
                throw OSSError.invalidDigest(contentMD5)
            }
            guard Array(expected) == MD5Digest.of(bytes) else { throw OSSError.invalidDigest(contentMD5) }
        }
        return bytes
    }
}
