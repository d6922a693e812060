import Foundation

/// What a presigned URL allows: one method on one object, for a limited time.
public struct OSSPresignRequest: Sendable {
    /// The methods a URL can be signed for.
    public enum Method: String, Sendable, Hashable {
        /// Download (GetObject).
        case get = "GET"
        /// Upload (PutObject).
        case put = "PUT"
        /// Headers only (HeadObject).
        case head = "HEAD"
    }

    /// The HTTP method the URL is valid for.
    public var method: Method
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// How long the URL stays valid; V4 allows 1 s to 7 days.
    public var expiresIn: Duration
    /// Headers the user of the URL must send with exactly these values, such as
    /// `Content-Type` for a PUT, or `x-oss-*` headers: they are part of the signature.
    public var headers: [String: String]
    /// Extra query parameters, such as `response-content-disposition`; signed as well.
    public var query: [String: String]
    /// The signature version; `nil` for the client's.
    public var signatureVersion: OSSSignatureVersion?

    /// Creates a request.
    public init(
        method: Method, bucket: String, key: String, expiresIn: Duration = .seconds(900),
        headers: [String: String] = [:], query: [String: String] = [:], signatureVersion: OSSSignatureVersion? = nil
    ) {
        self.method = method
        self.bucket = bucket
        self.key = key
        self.expiresIn = expiresIn
        self.headers = headers
        self.query = query
        self.signatureVersion = signatureVersion
    }
}

/// A presigned URL and the headers that must accompany it.
public struct OSSPresignedRequest: Sendable, Hashable {
    /// The HTTP method to use.
    public var method: String
    /// The complete URL, signature included.
    public var url: String
    /// Headers to send exactly as given (they were signed).
    public var headers: [String: String]
    /// When the URL stops working.
    public var expiration: Date
}
