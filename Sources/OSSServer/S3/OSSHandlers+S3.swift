import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

/// The S3 API over the same operations: an S3 request is admitted exactly as an OSS one
/// (``admit(_:)``), runs the same handler unless S3's answer differs in more than names, and
/// leaves with S3's header names and the checksums S3 clients read.
extension OSSHandlers {
    func handleS3(_ call: OSSCall, body: S3RequestBody) async throws -> Response {
        // OSS ignores parameters it does not know on a listing or a read; an S3 sub-resource
        // this server lacks must not be answered with a listing or the object instead.
        if let name = call.oss.query.first(where: { Self.unservedS3Subresources.contains($0.name) })?.name {
            throw S3Errors.notImplemented("the \(name) sub-resource")
        }
        if call.request.method == .head, let bucket = call.bucket, call.key == nil, call.oss.query.isEmpty {
            return try await headBucket(call, bucket: bucket)
        }
        if call.request.method == .get, let bucket = call.bucket, let key = call.key, call.has("attributes") {
            var response = try await objectAttributes(call, bucket: bucket, key: key)
            response.headers = Self.s3Headers(response.headers)
            return response
        }
        let operation = try await admit(call)
        let bucket = call.bucket ?? ""
        var response: Response
        switch operation {
        case .listBuckets: response = try await s3ListBuckets(call)
        case .createBucket: response = try await s3CreateBucket(call, bucket: bucket)
        case .getBucketLocation: response = try await s3BucketLocation(call, bucket: bucket)
        case .initiateMultipartUpload: response = try await s3CreateMultipartUpload(call, bucket: bucket, key: call.key ?? "")
        case .completeMultipartUpload:
            response = try await s3CompleteMultipartUpload(call, bucket: bucket, key: call.key ?? "", uploadID: try Self.uploadID(call))
        default: response = try await perform(operation, call)
        }
        response.headers = Self.s3Headers(response.headers)
        if let checksum = body.computed.verified, let name = HTTPField.Name(checksum.algorithm.headerName) {
            response.headers[name] = checksum.value
        }
        return response
    }

    /// S3 sub-resources with no OSS operation behind them here.
    static let unservedS3Subresources: Set<String> = [
        "object-lock", "legal-hold", "retention", "replication", "inventory", "analytics", "metrics",
        "intelligent-tiering", "ownershipControls", "encryption", "notification", "accelerate", "requestPayment",
        "torrent", "select", "select-type", "session", "metadataTable",
    ]

    /// HeadBucket: 200 with the bucket's region when it exists and the caller may list it.
    func headBucket(_ call: OSSCall, bucket: String) async throws -> Response {
        try OSSNames.validateBucketName(bucket)
        call.context.exchange.operation = .listObjects
        try await authorize(call, for: .listObjects)
        _ = try await storage.bucket(bucket)
        var headers = HTTPFields()
        headers[.amzBucketRegion] = region
        return Self.empty(.ok, headers: headers)
    }

    /// ListBuckets as S3 lists them: every bucket of the signer, one page.
    func s3ListBuckets(_ call: OSSCall) async throws -> Response {
        let user = try Self.user(call)
        var buckets: [S3ListAllMyBucketsResult.Bucket] = []
        var marker: String?
        repeat {
            let listing = try await storage.listBuckets(BucketListQuery(marker: marker, maxKeys: 1000, owner: user))
            buckets += listing.buckets.map { .init(name: $0.name, creationDate: $0.creationDate, region: region) }
            marker = listing.isTruncated ? listing.nextMarker : nil
        } while marker != nil
        return Self.xmlResponse(S3ListAllMyBucketsResult(ownerID: user, buckets: buckets))
    }

    /// CreateBucket: the bucket's ACL from `x-amz-acl`; a `CreateBucketConfiguration` body may
    /// name a location, which cannot move where this server keeps the bytes, so it is read only
    /// to refuse a document that is not one.
    func s3CreateBucket(_ call: OSSCall, bucket: String) async throws -> Response {
        try OSSNames.validateBucketName(bucket)
        let acl = try Self.bucketACLHeader(call.oss) ?? .private
        let body = try await Self.smallBody(call, limit: 64 << 10)
        if !body.isEmpty { _ = try S3CreateBucketConfiguration(parsing: body) }
        let user = try Self.user(call)
        let (record, created) = try await storage.createBucketIfMissing(
            bucket, owner: user, acl: acl, storageClass: .standard, location: location, dataRedundancy: .locallyRedundant)
        if !created {
            throw record.owner == user
                ? OSSError(code: "BucketAlreadyOwnedByYou", status: 409, message: "Your previous request to create the named bucket succeeded and you already own it.", details: [("BucketName", bucket)])
                : OSSError.bucketAlreadyExists(bucket)
        }
        var headers = HTTPFields()
        headers[.location] = "/\(bucket)"
        return Self.empty(.ok, headers: headers)
    }

    func s3BucketLocation(_ call: OSSCall, bucket: String) async throws -> Response {
        _ = try await storage.bucket(bucket)
        return Self.xmlResponse(S3LocationConstraint(region: region))
    }

    /// GetObjectAttributes: what `x-amz-object-attributes` asks for, the checksum among them,
    /// from the metadata alone; read access as for HeadObject.
    func objectAttributes(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        call.context.exchange.operation = .headObject
        try OSSNames.validateObjectKey(key)
        let attributes = try S3GetObjectAttributesResponse.attributes(header: call.header("x-amz-object-attributes"))
        let versionID = Self.versionID(call)
        let storage = self.storage
        let opened = try await authorizeRead(
            Requester(call), of: { try await storage.openObject(bucket: bucket, key: key, versionID: versionID, readingBytes: false) },
            bucket: bucket, key: key, versionID: versionID)
        let record = opened.record
        let checksum = Self.s3Checksum(of: record)
        var headers = Self.versionHeaders(record)
        headers[.lastModified] = OSSDateFormat.httpDate(record.lastModified)
        return Self.xmlResponse(
            S3GetObjectAttributesResponse(
                attributes: attributes, etag: OSSETag.unquoted(record.etag).lowercased(),
                checksum: checksum.map { ($0.algorithm, $0.value, $0.type) },
                // A multipart ETag ends with its part count (the segments are not read here).
                partCount: record.type == .multipart ? OSSETag.unquoted(record.etag).split(separator: "-").last.flatMap { Int($0) } : nil,
                storageClass: S3HeaderMapping.s3StorageClass(record.attributes.storageClass), size: record.size),
            headers: headers)
    }

    /// The checksum S3 shows of an object: the one its client chose, else its CRC-64/NVME.
    static func s3Checksum(of record: ObjectRecord) -> ObjectChecksums.Requested? {
        record.checksums.requested
            ?? record.checksums.crc64nvme.map { ObjectChecksums.Requested(algorithm: .crc64nvme, value: S3ChecksumAlgorithm.crc64nvme.headerValue(crc: $0)) }
    }

    /// The region S3 clients are told: the server's, without OSS's `oss-` prefix.
    var region: String { String(location.dropFirst("oss-".count)) }

    /// The answer's headers under S3's names (``S3HeaderMapping``); the rest as they were.
    static func s3Headers(_ headers: HTTPFields) -> HTTPFields {
        var translated = HTTPFields()
        for field in headers {
            if let s3 = S3HeaderMapping.s3Name(forResponseHeader: field.name.canonicalName), let name = HTTPField.Name(s3) {
                let value = field.name == .ossStorageClass
                    ? S3HeaderMapping.s3StorageClass(OSSStorageClass(rawValue: field.value)) : field.value
                translated.append(HTTPField(name: name, value: value))
            } else if field.name == .eTag {
                // S3 writes an ETag's hex in lower case, OSS in upper case; both compare without case.
                translated.append(HTTPField(name: .eTag, value: field.value.lowercased()))
            } else {
                translated.append(field)
            }
        }
        return translated
    }
}

extension HTTPField.Name {
    static let amzBucketRegion = Self("x-amz-bucket-region")!
}

extension OSSHandlers {
    /// `x-amz-checksum-<algorithm>` and `x-amz-checksum-type` of a whole object, when the S3
    /// client asked (`x-amz-checksum-mode: ENABLED`): the checksum it uploaded with, else the
    /// CRC-64/NVME every object written since it was kept has (also those written through OSS).
    static func addS3Checksums(of record: ObjectRecord, to headers: inout HTTPFields, _ call: OSSCall) {
        guard call.header("x-amz-checksum-mode")?.uppercased() == "ENABLED" else { return }
        guard let checksum = s3Checksum(of: record), let name = HTTPField.Name(checksum.algorithm.headerName) else { return }
        headers[name] = checksum.value
        headers[.amzChecksumType] = checksum.type.rawValue
    }
}

extension HTTPField.Name {
    static let amzChecksumType = Self("x-amz-checksum-type")!
}
