import Foundation
import Hummingbird
import OSSProtocol

/// PutBucketReferer/GetBucketReferer, Put/Get/DeleteBucketWebsite and Put/Get/DeleteBucketLogging:
/// configurations kept as their checked documents. Referers are enforced
/// (``OSSHandlers/checkReferer(_:)``); website hosting and access logs are configured and
/// reported, not served or written.
extension OSSHandlers {
    func putBucketReferer(_ call: OSSCall, bucket: String) async throws -> Response {
        let configuration = try OSSRefererConfiguration(parsing: try await Self.smallBody(call, limit: 64 << 10))
        try await storage.setBucketDocument(bucket, .referer, configuration.xml)
        return Self.empty(.ok)
    }

    /// A bucket never configured answers OSS's default: empty referers allowed, no list.
    func bucketReferer(_ call: OSSCall, bucket: String) async throws -> Response {
        let configuration = try await storage.bucketDocument(bucket, .referer).map { document throws(OSSError) in
            try OSSRefererConfiguration(parsing: Array(document.utf8))
        }
        return Self.xmlResponse(configuration ?? OSSRefererConfiguration())
    }

    func putBucketWebsite(_ call: OSSCall, bucket: String) async throws -> Response {
        let configuration = try OSSWebsiteConfiguration(parsing: try await Self.smallBody(call, limit: 64 << 10))
        try await storage.setBucketDocument(bucket, .website, configuration.xml)
        return Self.empty(.ok)
    }

    func bucketWebsite(_ call: OSSCall, bucket: String) async throws -> Response {
        guard let document = try await storage.bucketDocument(bucket, .website) else {
            throw OSSError.noSuchWebsiteConfiguration(bucket: bucket)
        }
        return Self.xmlResponse(try OSSWebsiteConfiguration(parsing: Array(document.utf8)))
    }

    /// The target bucket must exist.
    func putBucketLogging(_ call: OSSCall, bucket: String) async throws -> Response {
        let status = try OSSBucketLoggingStatus(parsing: try await Self.smallBody(call, limit: 64 << 10))
        if let target = status.targetBucket, !(await storage.bucketExists(target)) {
            throw OSSError.invalidTargetBucketForLogging(target)
        }
        _ = try await storage.bucket(bucket)
        try await storage.setBucketDocument(bucket, .logging, status.targetBucket == nil ? nil : status.xml)
        return Self.empty(.ok)
    }

    /// Logging off answers the empty `BucketLoggingStatus`, as OSS does.
    func bucketLogging(_ call: OSSCall, bucket: String) async throws -> Response {
        let status = try await storage.bucketDocument(bucket, .logging).map { document throws(OSSError) in
            try OSSBucketLoggingStatus(parsing: Array(document.utf8))
        }
        return Self.xmlResponse(status ?? OSSBucketLoggingStatus())
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
}
