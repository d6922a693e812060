import HTTPTypes
import OSSProtocol
import Testing

@testable import OSSServer

/// Routing (§3.2) as a pure function: the operation a request names, its precedence, and the
/// rule that an unserved sub-resource never reaches a plain write.
@Suite struct RoutingTests {
    static func route(
        _ method: HTTPRequest.Method, _ bucket: String?, _ key: String?, _ query: String = "", copySource: Bool = false
    ) throws(OSSError) -> OSSOperation {
        try OSSOperation(
            method: method, bucket: bucket, key: key, query: try! OSSQueryItem.parse(query), copySource: copySource)
    }

    @Test(arguments: [
        (HTTPRequest.Method.get, nil, nil, "", OSSOperation.listBuckets),
        (.get, nil, nil, "prefix&marker&max-keys=100", .listBuckets),
        (.get, nil, nil, "live", .listLiveChannelsOfService),
        (.put, "b", nil, "", .createBucket),
        (.put, "b", nil, "acl", .putBucketACL),
        (.get, "b", nil, "acl", .getBucketACL),
        (.get, "b", nil, "bucketInfo", .getBucketInfo),
        (.get, "b", nil, "location", .getBucketLocation),
        (.get, "b", nil, "uploads", .listMultipartUploads),
        (.get, "b", nil, "versions&encoding-type=url", .listObjectVersions),
        (.get, "b", nil, "live", .listLiveChannels),
        (.get, "b", nil, "list-type=2", .listObjectsV2),
        (.get, "b", nil, "prefix=a", .listObjects),
        (.head, "b", nil, "", .listObjects),
        (.delete, "b", nil, "", .deleteBucket),
        (.post, "b", nil, "delete", .deleteMultipleObjects),
        (.post, "b", nil, "", .postObject),
        (.put, "b", "k", "", .putObject),
        (.get, "b", "k", "response-content-type=x", .getObject),
        (.head, "b", "k", "", .headObject),
        (.delete, "b", "k", "", .deleteObject),
        (.head, "b", "k", "objectMeta", .getObjectMeta),
        (.post, "b", "k", "append&position=0", .appendObject),
        (.post, "b", "k", "append=&position=0", .appendObject),
        (.put, "b", "k", "acl", .putObjectACL),
        (.get, "b", "k", "acl", .getObjectACL),
        (.put, "b", "k", "tagging", .putObjectTagging),
        (.get, "b", "k", "tagging", .getObjectTagging),
        (.delete, "b", "k", "tagging", .deleteObjectTagging),
        (.put, "b", "k", "symlink", .putSymlink),
        (.get, "b", "k", "symlink", .getSymlink),
        (.post, "b", "k", "uploads", .initiateMultipartUpload),
        (.put, "b", "k", "partNumber=1&uploadId=U", .uploadPart),
        (.post, "b", "k", "uploadId=U", .completeMultipartUpload),
        (.delete, "b", "k", "uploadId=U", .abortMultipartUpload),
        (.get, "b", "k", "uploadId=U", .listParts),
        // Precedence: uploads before uploadId before append before acl before tagging …
        (.post, "b", "k", "uploads&append", .initiateMultipartUpload),
        (.put, "b", "k", "acl&tagging", .putObjectACL),
        (.put, "b", "k", "tagging&symlink", .putObjectTagging),
    ] as [(HTTPRequest.Method, String?, String?, String, OSSOperation)])
    func routes(method: HTTPRequest.Method, bucket: String?, key: String?, query: String, expected: OSSOperation) throws {
        #expect(try Self.route(method, bucket, key, query) == expected)
    }

    @Test func urlSignaturesAreNotSubresources() throws {
        let v1 = "OSSAccessKeyId=AK&Expires=1&Signature=s&security-token=t"
        let v4 = "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=c&x-oss-date=d&x-oss-expires=60&x-oss-signature=s&x-oss-additional-headers=host"
        for query in [v1, v4, "x-oss-traffic-limit=819200"] {
            #expect(try Self.route(.put, "b", "k", query) == .putObject)
            #expect(try Self.route(.delete, "b", "k", query) == .deleteObject)
            #expect(try Self.route(.post, "b", nil, query) == .postObject)
        }
        // Reads keep tolerating parameters they do not know.
        #expect(try Self.route(.get, "b", "k", "unknown=1") == .getObject)
    }

    /// OSS ignores parameters it does not know on object writes, and SDKs send some (a signed
    /// `prefix`, new options); only known sub-resources change what a write is.
    @Test func objectWritesIgnoreUnknownParameters() throws {
        for query in ["brandNewFeature", "whatever=1", "prefix=a", "x-sdk-option=2&other"] {
            #expect(try Self.route(.put, "b", "k", query) == .putObject)
            #expect(try Self.route(.put, "b", "k", query, copySource: true) == .copyObject)
            #expect(try Self.route(.delete, "b", "k", query) == .deleteObject)
        }
    }

    @Test func versionsAreNamedByReadsAndDeletes() throws {
        #expect(try Self.route(.get, "b", "k", "versionId=1") == .getObject)
        #expect(try Self.route(.head, "b", "k", "versionId=1") == .headObject)
        #expect(try Self.route(.delete, "b", "k", "versionId=1") == .deleteObject)
        #expect(try Self.route(.get, "b", "k", "acl&versionId=1") == .getObjectACL)
        #expect(try Self.route(.put, "b", "k", "tagging&versionId=1") == .putObjectTagging)
        #expect(try Self.route(.put, "b", nil, "versioning") == .putBucketVersioning)
        #expect(try Self.route(.get, "b", nil, "versioning") == .getBucketVersioning)
        #expect(try Self.route(.get, "b", nil, "versions") == .listObjectVersions)
    }

    @Test func copySourceMakesCopies() throws {
        #expect(try Self.route(.put, "b", "k", copySource: true) == .copyObject)
        #expect(try Self.route(.put, "b", "k", "partNumber=2&uploadId=U", copySource: true) == .uploadPartCopy)
    }

    @Test(arguments: [
        (HTTPRequest.Method.put, "b", "k", "lifecycle"), (.put, "b", "k", "x-oss-process=resize"), (.put, "b", nil, "worm"),
        (.put, "b", nil, "tagging"), (.delete, "b", nil, "inventory"), (.post, "b", nil, "restore"),
        (.get, "b", nil, "worm"), (.get, nil, nil, "regions"), (.put, "b", "k", "position=3"),
        (.delete, "b", "k", "delete"),
        // A write creates a version; it never names one.
        (.put, "b", "k", "versionId=v1"), (.post, "b", "k", "versionId=v1"),
        // Names no list knows: a bare bucket write refuses them rather than guess.
        (.put, "b", nil, "someConfig"), (.post, "b", nil, "unknown"), (.delete, "b", nil, "x"),
    ] as [(HTTPRequest.Method, String?, String?, String)])
    func unservedSubresourcesAreNotImplemented(method: HTTPRequest.Method, bucket: String?, key: String?, query: String) {
        let error = #expect(throws: OSSError.self) { try Self.route(method, bucket, key, query) }
        #expect(error?.code == "NotImplemented")
        #expect(error?.status == 400)
    }

    @Test(arguments: [
        (HTTPRequest.Method.put, nil, nil, ""), (.post, "b", "k", ""), (.patch, "b", nil, ""), (.delete, "b", "k", "acl"),
        (.get, "b", "k", "uploads"), (.get, "b", "k", "append"), (.post, "b", "k", "symlink"), (.put, "b", "k", "objectMeta"),
        (.patch, "b", "k", "uploadId=U"), (.put, "b", "k", "seal"),
    ] as [(HTTPRequest.Method, String?, String?, String)])
    func wrongVerbsAreMethodNotAllowed(method: HTTPRequest.Method, bucket: String?, key: String?, query: String) {
        let error = #expect(throws: OSSError.self) { try Self.route(method, bucket, key, query) }
        #expect(error?.code == "MethodNotAllowed")
        #expect(error?.status == 405)
    }

    @Test func everyOperationHasAnAccessRule() {
        for operation in OSSOperation.allCases {
            switch operation {
            case .listBuckets, .createBucket, .deleteBucket, .putBucketACL, .getObjectACL:
                #expect(operation.access == .owner, "\(operation)")
            case .getObject, .headObject: #expect(operation.access == .readOpenedObject)
            case .putObject, .deleteObject, .appendObject: #expect(operation.access == .writeObject)
            case .listObjects: #expect(operation.access == .readBucket)
            case .postObject: #expect(operation.access == .form)
            default: continue
            }
        }
    }
}
