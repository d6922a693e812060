import Foundation
import Hummingbird
import OSSProtocol

/// PutBucketReferer/GetBucketReferer, Put/Get/DeleteBucketWebsite, Put/Get/DeleteBucketLogging,
/// Put/Get/DeleteBucketQoSInfo and the storage capacity: configurations kept as their checked
/// documents. Referers are enforced
/// (``OSSHandlers/checkReferer(_:)``), websites served to anonymous readers
/// (``OSSHandlers/servingWebsite(_:_:)``), access logs written into the target bucket
/// (``AccessLogService``).
extension OSSHandlers {
    func putBucketReferer(_ call: OSSCall, bucket: String) async throws -> Response {
        try await putDocument(call, bucket: bucket, .referer, as: OSSRefererConfiguration.self)
    }

    /// A bucket never configured answers OSS's default: empty referers allowed, no list.
    func bucketReferer(_ call: OSSCall, bucket: String) async throws -> Response {
        Self.xmlResponse(try await document(bucket, .referer, as: OSSRefererConfiguration.self) ?? OSSRefererConfiguration())
    }

    func putBucketWebsite(_ call: OSSCall, bucket: String) async throws -> Response {
        try await putDocument(call, bucket: bucket, .website, as: OSSWebsiteConfiguration.self)
    }

    func bucketWebsite(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let configuration = try await document(bucket, .website, as: OSSWebsiteConfiguration.self) else {
            throw OSSError.noSuchWebsiteConfiguration(bucket: bucket)
        }
        return Self.xmlResponse(configuration)
    }

    /// The target bucket must exist and belong to the same owner, as on OSS.
    func putBucketLogging(_ call: OSSCall, bucket: String) async throws -> Response {
        let status = try OSSBucketLoggingStatus(parsing: try await Self.smallBody(call, limit: 64 << 10))
        let owner = try await storage.bucketOwner(bucket)
        if let target = status.targetBucket, (try? await storage.bucketOwner(target)) != owner {
            throw OSSError.invalidTargetBucketForLogging(target)
        }
        try await storage.setBucketDocument(bucket, .logging, status.targetBucket == nil ? nil : status.xml)
        return Self.empty(.ok)
    }

    /// Logging off answers the empty `BucketLoggingStatus`, as OSS does.
    func bucketLogging(_ call: OSSCall, bucket: String) async throws -> Response {
        Self.xmlResponse(try await document(bucket, .logging, as: OSSBucketLoggingStatus.self) ?? OSSBucketLoggingStatus())
    }

    /// Limits are stored and reported, not enforced: this server shapes no traffic.
    func putBucketQoSInfo(_ call: OSSCall, bucket: String) async throws -> Response {
        try await putDocument(call, bucket: bucket, .qosInfo, as: OSSQoSConfiguration.self)
    }

    /// A bucket never configured has no limits of its own: every value -1.
    func bucketQoSInfo(_ call: OSSCall, bucket: String) async throws -> Response {
        Self.xmlResponse(try await document(bucket, .qosInfo, as: OSSQoSConfiguration.self) ?? OSSQoSConfiguration())
    }

    /// The capacity is stored and reported, not enforced.
    func putBucketStorageCapacity(_ call: OSSCall, bucket: String) async throws -> Response {
        try await putDocument(call, bucket: bucket, .storageCapacity, as: OSSBucketUserQos.self)
    }

    /// A bucket never configured has no capacity limit: -1.
    func bucketStorageCapacity(_ call: OSSCall, bucket: String) async throws -> Response {
        Self.xmlResponse(try await document(bucket, .storageCapacity, as: OSSBucketUserQos.self) ?? OSSBucketUserQos())
    }

    /// Reads the body as a `Document`, which checks it, and stores it in its normal form.
    private func putDocument<Document: CheckedBucketDocument>(
        _ call: OSSCall, bucket: String, _ kind: BucketDocument, as: Document.Type
    ) async throws -> Response {
        let document = try Document(parsing: try await Self.smallBody(call, limit: 64 << 10))
        try await storage.setBucketDocument(bucket, kind, document.xml)
        return Self.empty(.ok)
    }

    /// The stored document, `nil` when unset.
    private func document<Document: CheckedBucketDocument>(_ bucket: String, _ kind: BucketDocument, as: Document.Type)
        async throws -> Document?
    {
        try await storage.bucketDocument(bucket, kind).map { text throws(OSSError) in try Document(parsing: Array(text.utf8)) }
    }

    /// 204, also when nothing was configured.
    func deleteBucketDocument(_ call: OSSCall, bucket: String, _ kind: BucketDocument) async throws -> Response {
        try await storage.setBucketDocument(bucket, kind, nil)
        return Self.empty(.noContent)
    }

    /// Hotlink protection: a request without an `Authorization` header (anonymous, or a
    /// presigned URL) must pass the bucket's referer configuration. Signed-header requests are
    /// never checked, as on OSS.
    func checkReferer(_ call: OSSCall) async throws {
        guard let bucket = call.bucket, call.header("authorization") == nil else { return }
        // A missing bucket is the operation's to answer (NoSuchBucket).
        guard let document = try await storage.bucketDocumentIfAny(bucket, .referer) else { return }
        let configuration = try OSSRefererConfiguration(parsing: Array(document.utf8))
        guard configuration.allows(referer: call.header("referer")) else { throw OSSError.refererDenied() }
    }

    /// Static website hosting for anonymous reads, as OSS serves it on the bucket's own address:
    /// the bare bucket (`GET /bkt/` without parameters) and a key ending in `/` that is no object
    /// serve the index document under them, and a missing key serves the error document with
    /// 404. The objects served pass the same ACL checks as any anonymous read. Buckets without a
    /// website configuration, and every other request, are answered as usual.
    func servingWebsite(_ operation: OSSOperation, _ call: OSSCall) async throws -> Response {
        guard let bucket = call.bucket, let document = try await storage.bucketDocumentIfAny(bucket, .website),
            let website = try? OSSWebsiteConfiguration(parsing: Array(document.utf8))
        else {
            return try await perform(operation, call)
        }
        let headOnly = call.request.method == .head
        if operation == .listObjects {
            guard call.oss.query.isEmpty, let index = website.indexDocument else { return try await perform(operation, call) }
            return try await websiteDocument(call, bucket: bucket, key: index, headOnly: headOnly, website: website)
        }
        let key = call.key ?? ""
        do {
            return try await perform(operation, call)
        } catch StorageError.noSuchKey {
            if key.hasSuffix("/"), let index = website.indexDocument {
                return try await websiteDocument(call, bucket: bucket, key: key + index, headOnly: headOnly, website: website)
            }
            return try await errorDocument(call, bucket: bucket, missing: key, headOnly: headOnly, website: website)
        }
    }

    /// An index document, or the error document (404) when it is missing.
    private func websiteDocument(
        _ call: OSSCall, bucket: String, key: String, headOnly: Bool, website: OSSWebsiteConfiguration
    ) async throws -> Response {
        do {
            return try await getObject(call, bucket: bucket, key: key, headOnly: headOnly)
        } catch StorageError.noSuchKey {
            return try await errorDocument(call, bucket: bucket, missing: key, headOnly: headOnly, website: website)
        }
    }

    /// The error document with status 404 in place of the missing key, or NoSuchKey without one.
    private func errorDocument(
        _ call: OSSCall, bucket: String, missing key: String, headOnly: Bool, website: OSSWebsiteConfiguration
    ) async throws -> Response {
        guard let error = website.errorDocument else { throw StorageError.noSuchKey(bucket: bucket, key: key) }
        var response = try await getObject(call, bucket: bucket, key: error, headOnly: headOnly)
        response.status = .notFound
        return response
    }
}

/// A configuration kept as its XML document: parsed (and so checked) from a body, stored as `xml`.
protocol CheckedBucketDocument: OSSXMLDocument {
    init(parsing body: some DataProtocol) throws(OSSError)
}

extension OSSRefererConfiguration: CheckedBucketDocument {}
extension OSSWebsiteConfiguration: CheckedBucketDocument {}
extension OSSBucketLoggingStatus: CheckedBucketDocument {}
extension OSSQoSConfiguration: CheckedBucketDocument {}
extension OSSBucketUserQos: CheckedBucketDocument {}
