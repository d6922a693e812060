import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

extension OSSOperations {
    /// ListObjects (version 1) and ListObjectsV2 (version 2).
    func listObjects(_ call: OSSCall, bucket: String, version: Int) async throws -> Response {
        let maxKeys = try Self.intParameter(call, "max-keys", default: 100, range: 1...1000)
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let encode = call.query("encoding-type") == "url"
        var marker: String?
        var token: String?
        var startAfter: String?
        if version == 2 {
            token = call.query("continuation-token").flatMap { $0.isEmpty ? nil : $0 }
            startAfter = call.query("start-after").flatMap { $0.isEmpty ? nil : $0 }
            if let token {
                guard let data = Data(base64Encoded: token), let decoded = String(data: data, encoding: .utf8) else {
                    throw OSSError.invalidArgument("The continuation token is not valid.", name: "continuation-token", value: token)
                }
                marker = decoded
            } else {
                marker = startAfter
            }
        } else {
            marker = call.query("marker").flatMap { $0.isEmpty ? nil : $0 }
        }
        let listing = try await storage.listObjects(
            bucket: bucket, query: ObjectListQuery(prefix: prefix, delimiter: delimiter, marker: marker, maxKeys: maxKeys))
        func text(_ value: String) -> String { encode ? OSSPercentEncoding.encode(value) : value }
        let fetchOwner = version == 1 || call.query("fetch-owner") == "true"

        var xml = OSSXMLWriter()
        xml.element("ListBucketResult") { xml in
            xml.element("Name", bucket)
            xml.element("Prefix", text(prefix))
            if version == 1 { xml.element("Marker", text(marker ?? "")) }
            if version == 2, let startAfter { xml.element("StartAfter", text(startAfter)) }
            if version == 2, let token { xml.element("ContinuationToken", token) }
            xml.element("MaxKeys", maxKeys)
            xml.element("Delimiter", text(delimiter ?? ""))
            if encode { xml.element("EncodingType", "url") }
            xml.element("IsTruncated", listing.isTruncated)
            if listing.isTruncated, let next = listing.nextMarker {
                if version == 1 {
                    xml.element("NextMarker", text(next))
                } else {
                    xml.element("NextContinuationToken", Data(next.utf8).base64EncodedString())
                }
            }
            if version == 2 { xml.element("KeyCount", listing.entryCount) }
            for object in listing.objects {
                xml.element("Contents") { xml in
                    xml.element("Key", text(object.key))
                    xml.element("LastModified", OSSDateFormat.iso8601(object.lastModified))
                    xml.element("ETag", object.etag)
                    xml.element("Type", object.type.rawValue)
                    xml.element("Size", object.size)
                    xml.element("StorageClass", object.storageClass)
                    if fetchOwner { Self.owner(&xml) }
                }
            }
            for commonPrefix in listing.commonPrefixes {
                xml.element("CommonPrefixes") { $0.element("Prefix", text(commonPrefix)) }
            }
        }
        return Self.xmlResponse(xml)
    }
}
