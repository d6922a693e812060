import HTTPTypes
import Hummingbird
import OSSProtocol

extension OSSHandlers {
    func listBuckets(_ call: OSSCall) async throws -> Response {
        let maxKeys = try Self.maxKeys(call)
        let prefix = call.query("prefix") ?? ""
        let marker = call.query("marker").flatMap { $0.isEmpty ? nil : $0 }
        let user = try Self.user(call)
        let listing = try await storage.listBuckets(
            BucketListQuery(prefix: prefix, marker: marker, maxKeys: maxKeys, owner: user))
        let endpoint = Self.endpoint(of: call)
        let buckets = listing.buckets.map { bucket in
            OSSListAllMyBucketsResult.Bucket(
                name: bucket.name, creationDate: bucket.creationDate, location: bucket.location,
                extranetEndpoint: endpoint, intranetEndpoint: endpoint, storageClass: bucket.storageClass,
                region: String(bucket.location.dropFirst("oss-".count)))
        }
        return Self.xmlResponse(
            OSSListAllMyBucketsResult(
                prefix: prefix, marker: marker ?? "", maxKeys: maxKeys, isTruncated: listing.isTruncated,
                nextMarker: listing.isTruncated ? listing.nextMarker ?? "" : nil, owner: OSSOwner(id: user), buckets: buckets))
    }

    func createBucket(_ call: OSSCall, bucket: String) async throws -> Response {
        try OSSNames.validateBucketName(bucket)
        let acl = try Self.bucketACLHeader(call.oss) ?? .private
        let body = try await Self.smallBody(call, limit: 64 << 10)
        let configuration = body.isEmpty ? OSSCreateBucketConfiguration() : try OSSCreateBucketConfiguration(parsing: body)
        if let storageClass = configuration.storageClass, !storageClass.isKnown {
            throw OSSError.invalidBucketStorageClass(storageClass.rawValue)
        }
        var redundancy = OSSDataRedundancyType.locallyRedundant
        if let value = configuration.dataRedundancyType {
            guard let type = OSSDataRedundancyType(rawValue: value) else {
                throw OSSError.invalidArgument(
                    "DataRedundancyType must be LRS or ZRS.", name: "DataRedundancyType", value: value)
            }
            redundancy = type
        }
        // OSS answers 200 to the owner of an existing bucket and leaves the bucket as it is,
        // unless the request asks for another storage class; another user's bucket is 409.
        let user = try Self.user(call)
        let (record, created) = try await storage.createBucketIfMissing(
            bucket, owner: user, acl: acl, storageClass: configuration.storageClass ?? .standard, location: location,
            dataRedundancy: redundancy)
        if !created {
            guard record.owner == user else { throw OSSError.bucketAlreadyExists(bucket) }
            if let storageClass = configuration.storageClass, storageClass != record.storageClass {
                throw OSSError.bucketAlreadyExists(bucket)
            }
        }
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
        return Self.xmlResponse(
            OSSBucketInfo(
                name: record.name, location: record.location, creationDate: record.creationDate,
                extranetEndpoint: endpoint, intranetEndpoint: endpoint, storageClass: record.storageClass,
                dataRedundancyType: record.dataRedundancy.rawValue, owner: OSSOwner(id: record.owner), acl: record.acl,
                blockPublicAccess: record.blocksPublicAccess, resourceGroupID: Self.defaultResourceGroup,
                versioning: record.versioning?.rawValue))
    }

    /// GetBucketStat: exact at the time of the call. Billed sizes count every object outside the
    /// Standard class as at least 64 KiB, as OSS bills them; `Storage` adds the parts of uploads
    /// in progress, which occupy storage until Complete or Abort. Every version counts (noncurrent
    /// ones occupy storage as current ones do); delete markers are counted apart.
    func bucketStat(_ call: OSSCall, bucket: String) async throws -> Response {
        let statistics = try await storage.bucketStatistics(bucket)
        var values: [String: Int64] = [
            "Storage": statistics.storage, "ObjectCount": Int64(statistics.objectCount),
            "MultipartUploadCount": Int64(statistics.multipartUploadCount),
            "MultipartPartCount": Int64(statistics.multipartPartCount),
            "DeleteMarkerCount": Int64(statistics.deleteMarkerCount),
            "LastModifiedTime": Int64(statistics.lastModified.timeIntervalSince1970),
        ]
        let standard = statistics.usage(.standard)
        values["StandardStorage"] = standard.realStorage
        values["StandardObjectCount"] = Int64(standard.objectCount)
        for (storageClass, prefix) in [
            (OSSStorageClass.infrequentAccess, "InfrequentAccess"), (.archive, "Archive"), (.coldArchive, "ColdArchive"),
            (.deepColdArchive, "DeepColdArchive"),
        ] {
            let usage = statistics.usage(storageClass)
            values[prefix + "Storage"] = usage.billedStorage
            values[prefix + "RealStorage"] = usage.realStorage
            values[prefix + "ObjectCount"] = Int64(usage.objectCount)
        }
        return Self.xmlResponse(OSSBucketStat(values))
    }

    func bucketLocation(_ call: OSSCall, bucket: String) async throws -> Response {
        let record = try await storage.bucket(bucket)
        return Self.xmlResponse(OSSLocationConstraint(location: record.location))
    }
}
