import Foundation
import OSSProtocol
import Testing

@Suite("Errors (§5)")
struct ErrorTests {
    @Test("the §5.1 body, byte for byte")
    func body() {
        let error = OSSError.noSuchKey("photos/cat.jpg")
        let xml = error.xml(requestID: "65F4076800A1B2C3D4E5F607", hostID: "b.127.0.0.1")
        #expect(
            xml
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                + "<RequestId>65F4076800A1B2C3D4E5F607</RequestId><HostId>b.127.0.0.1</HostId><Key>photos/cat.jpg</Key>"
                + "<EC>0026-00000001</EC></Error>")
        #expect(
            error.base64XML(requestID: "65F4076800A1B2C3D4E5F607", hostID: "b.127.0.0.1")
                == Data(xml.utf8).base64EncodedString())
    }

    @Test("details are escaped")
    func escaping() {
        let xml = OSSError.noSuchKey("a&b<c>\"d'").xml(requestID: "R", hostID: "H")
        #expect(xml.contains("<Key>a&amp;b&lt;c&gt;&quot;d&apos;</Key>"))
    }

    @Test("a rendered body parses back, request and host ids included")
    func roundTrip() throws {
        let original = OSSError.signatureDoesNotMatch(
            accessKeyID: "AK", signatureProvided: "sig", stringToSign: "GET\n\n\nDate\n/b/k & more",
            canonicalRequest: "GET\n/b/k")
        let body = original.xml(requestID: "65F4076800A1B2C3D4E5F607", hostID: "b.host")
        let parsed = try OSSError(parsing: Data(body.utf8), status: 403)
        var expected = original
        expected.requestID = "65F4076800A1B2C3D4E5F607"
        expected.hostID = "b.host"
        #expect(parsed == expected)
        #expect(parsed.detail("StringToSignBytes")?.hasPrefix("47 45 54 0a") == true)
    }

    @Test("a non-error body is MalformedXML")
    func notAnError() {
        let error = #expect(throws: OSSError.self) { try OSSError(parsing: Data("<Other/>".utf8), status: 500) }
        #expect(error?.code == "MalformedXML")
    }

    @Test(
        "every §5.2 code has its status",
        arguments: [
            (OSSError.accessDenied(), "AccessDenied", 403),
            (.invalidAccessKeyID("a"), "InvalidAccessKeyId", 403),
            (.signatureDoesNotMatch(accessKeyID: "a", signatureProvided: "b", stringToSign: "c"), "SignatureDoesNotMatch", 403),
            (.requestTimeTooSkewed(requestTime: "t", serverTime: Date(timeIntervalSince1970: 0)), "RequestTimeTooSkewed", 403),
            (.requestExpired(expires: Date(timeIntervalSince1970: 0), serverTime: Date(timeIntervalSince1970: 1)), "AccessDenied", 403),
            (.invalidArgument("m", name: "n", value: "v"), "InvalidArgument", 400),
            (.invalidBucketName("B"), "InvalidBucketName", 400),
            (.invalidObjectName(""), "InvalidObjectName", 400),
            (.invalidDigest("x"), "InvalidDigest", 400),
            (.malformedXML(), "MalformedXML", 400),
            (.entityTooLarge(), "EntityTooLarge", 400),
            (.entityTooSmall(), "EntityTooSmall", 400),
            (.invalidPart(partNumber: 2), "InvalidPart", 400),
            (.invalidPartOrder(), "InvalidPartOrder", 400),
            (.notImplemented(header: "If-Match"), "NotImplemented", 400),
            (.invalidRequest("m"), "InvalidRequest", 400),
            (.tooManyBuckets(), "TooManyBuckets", 400),
            (.noSuchBucket("b"), "NoSuchBucket", 404),
            (.noSuchKey("k"), "NoSuchKey", 404),
            (.noSuchUpload("u"), "NoSuchUpload", 404),
            (.symlinkTargetNotExist("t"), "SymlinkTargetNotExist", 404),
            (.notSymlink("k"), "NotSymlink", 400),
            (.methodNotAllowed(method: "PUT", resourceType: "Object"), "MethodNotAllowed", 405),
            (.bucketAlreadyExists("b"), "BucketAlreadyExists", 409),
            (.bucketNotEmpty("b"), "BucketNotEmpty", 409),
            (.positionNotEqualToLength(nextPosition: 6), "PositionNotEqualToLength", 409),
            (.objectNotAppendable(), "ObjectNotAppendable", 409),
            (.fileAlreadyExists(), "FileAlreadyExists", 409),
            (.missingContentLength(), "MissingContentLength", 411),
            (.preconditionFailed(condition: "If-Match"), "PreconditionFailed", 412),
            (.invalidRange(requested: "bytes=9-", objectSize: 3), "InvalidRange", 416),
            (.internalError(), "InternalError", 500),
        ])
    func codes(error: OSSError, code: String, status: Int) {
        #expect(error.code == code)
        #expect(error.status == status)
        #expect(!error.message.isEmpty)
    }

    @Test("errors that the SDKs need headers for carry them")
    func headers() {
        let append = OSSError.positionNotEqualToLength(nextPosition: 6, crc64: 17_856_904_023_843_314_350)
        #expect(append.headers.first { $0.name == "x-oss-next-append-position" }?.value == "6")
        #expect(append.headers.first { $0.name == "x-oss-hash-crc64ecma" }?.value == "17856904023843314350")
        let range = OSSError.invalidRange(requested: "bytes=9-", objectSize: 3)
        #expect(range.headers.first { $0.name == "Content-Range" }?.value == "bytes */3")
        let argument = OSSError.invalidArgument("bad", name: "PartNumber", value: "0")
        #expect(argument.detail("ArgumentName") == "PartNumber")
        #expect(argument.detail("ArgumentValue") == "0")
    }

    /// The server renders these and the client reads them back: one constructor and one accessor
    /// each, so the element names are written once.
    @Test("a declared-CRC refusal and a damaged-object refusal survive rendering and parsing")
    func integrityRefusalsRoundTrip() throws {
        let refusal = OSSError.declaredCRCMismatch(declared: 11, computed: 12_345_678_901_234_567_890)
        let parsed = try OSSError(parsing: Data(refusal.xml(requestID: "R", hostID: "H").utf8), status: 400)
        #expect(parsed.code == "InvalidDigest")
        #expect(parsed.declaredCRCMismatch?.declared == 11)
        #expect(parsed.declaredCRCMismatch?.computed == 12_345_678_901_234_567_890)
        #expect(OSSError.invalidDigest("AAAA").declaredCRCMismatch == nil)

        let damaged = OSSError.damagedObject(key: "k", reason: "block 3 has CRC-64 1, recorded 2")
        let read = try OSSError(parsing: Data(damaged.xml(requestID: "R", hostID: "H").utf8), status: 500)
        #expect(read.isDamagedObject)
        #expect(read.detail("DamagedObject") == "block 3 has CRC-64 1, recorded 2")
        #expect(!OSSError.internalError().isDamagedObject)
    }
}
