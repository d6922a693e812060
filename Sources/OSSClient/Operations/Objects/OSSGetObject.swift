import Foundation
import OSSProtocol

/// GetObject and HeadObject: which object, which bytes, under which conditions.
public struct OSSGetObjectRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// A byte range; `nil` for the whole object.
    public var range: OSSRangeSpec?
    /// Send `x-oss-range-behavior: standard`: an unsatisfiable range fails with 416 instead of
    /// silently returning the whole object.
    public var strictRange: Bool
    /// `If-Match`: fail with 412 `PreconditionFailed` unless the ETag matches.
    public var ifMatch: String?
    /// `If-None-Match`: fail with 304 when the ETag matches.
    public var ifNoneMatch: String?
    /// `If-Modified-Since`: fail with 304 when not modified since.
    public var ifModifiedSince: Date?
    /// `If-Unmodified-Since`: fail with 412 when modified since.
    public var ifUnmodifiedSince: Date?
    /// `response-*` overrides (`content-type`, `content-disposition`, `cache-control`,
    /// `content-encoding`, `content-language`, `expires`), keyed without the prefix.
    public var responseOverrides: [String: String]
    /// The version to read (`versionId`); `nil` for the latest.
    public var versionID: String?

    /// Creates a request.
    public init(
        bucket: String, key: String, range: OSSRangeSpec? = nil, strictRange: Bool = false, ifMatch: String? = nil,
        ifNoneMatch: String? = nil, ifModifiedSince: Date? = nil, ifUnmodifiedSince: Date? = nil,
        responseOverrides: [String: String] = [:], versionID: String? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.range = range
        self.strictRange = strictRange
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
        self.responseOverrides = responseOverrides
        self.versionID = versionID
    }

    func wire(_ operation: String, method: HTTPMethodName) -> WireRequest {
        var wire = WireRequest(operation, method == .head ? .HEAD : .GET, bucket: bucket, key: key)
        for (name, value) in responseOverrides.sorted(by: { $0.key < $1.key }) {
            wire.query("response-" + name, value)
        }
        wire.query("versionId", versionID)
        wire.header("Range", range.map(Self.rangeHeader))
        if strictRange { wire.header(OSSHeader.rangeBehavior, "standard") }
        wire.header("If-Match", ifMatch)
        wire.header("If-None-Match", ifNoneMatch)
        wire.header("If-Modified-Since", ifModifiedSince.map(OSSDateFormat.httpDate))
        wire.header("If-Unmodified-Since", ifUnmodifiedSince.map(OSSDateFormat.httpDate))
        return wire
    }

    static func rangeHeader(_ range: OSSRangeSpec) -> String {
        switch range {
        case .closed(let first, let last): return "bytes=\(first)-\(last)"
        case .from(let first): return "bytes=\(first)-"
        case .suffix(let length): return "bytes=-\(length)"
        }
    }

    enum HTTPMethodName { case get, head }
}

/// The outcome of GetObject into memory.
public struct OSSGetObjectResult: Sendable {
    /// The response headers.
    public var metadata: OSSObjectMetadata
    /// The bytes served.
    public var body: [UInt8]
    /// `Content-Range` of a 206, such as `bytes 0-99/1000`; `nil` for a whole object.
    public var contentRange: String?
    /// Whether the bytes were proven intact; ranged reads are ``OSSCRCVerification/Reason/partialContent``
    /// unless the range covers the whole object.
    public var crcVerification: OSSCRCVerification
}

/// The outcome of GetObject into a file.
public struct OSSGetObjectToFileResult: Sendable {
    /// The response headers.
    public var metadata: OSSObjectMetadata
    /// Bytes written to the destination.
    public var bytesWritten: Int64
    /// Whether the bytes were proven intact.
    public var crcVerification: OSSCRCVerification
}
