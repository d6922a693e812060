import Foundation

/// An S3-compatible object store that holds the server's blobs instead of the data folder
/// (`oss serve --blobs s3://BUCKET --blobs-endpoint URL`). Metadata stays where it is.
public struct OSSBlobBackend: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The backend's host.
    public var host: String
    /// The backend's port.
    public var port: Int
    /// The backend bucket; created at start if missing.
    public var bucket: String
    /// The signing region (`us-east-1` for most S3-compatible stores).
    public var region: String
    /// The backend's access key id.
    public var accessKeyID: String
    /// The backend's secret key; never logged.
    public var secret: String

    /// The backend as logs may show it: the secret left out.
    public var description: String {
        "s3://\(bucket) at \(scheme)://\(hostHeader) (region \(region), key \(accessKeyID))"
    }

    /// A backend from `s3://BUCKET` and an endpoint such as `http://127.0.0.1:8333`.
    /// - Throws: ``OSSBlobBackendError`` naming what is wrong.
    public init(
        location: String, endpoint: String, region: String = "us-east-1", accessKeyID: String, secret: String
    ) throws(OSSBlobBackendError) {
        guard location.hasPrefix("s3://") else { throw .badLocation(location) }
        let bucket = String(location.dropFirst(5).prefix { $0 != "/" })
        guard (3...63).contains(bucket.utf8.count),
            bucket.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E })
        else { throw .badLocation(location) }
        guard let url = URLComponents(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/"
        else { throw .badEndpoint(endpoint) }
        guard !accessKeyID.isEmpty, !secret.isEmpty else { throw .missingCredentials }
        self.scheme = scheme
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secret = secret
    }
}

extension OSSBlobBackend {
    /// A backend from its parts, unchecked (tests, and callers that checked them already).
    init(
        scheme: String = "http", host: String, port: Int, bucket: String, region: String = "us-east-1",
        accessKeyID: String, secret: String
    ) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secret = secret
    }

    /// The `Host` header value: the port is left out where it is the scheme's default.
    var hostHeader: String {
        (scheme == "http" && port == 80) || (scheme == "https" && port == 443) ? host : "\(host):\(port)"
    }
}

/// Why a blob backend's settings were refused; each message names the fix.
public enum OSSBlobBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    case badLocation(String)
    case badEndpoint(String)
    case missingCredentials

    public var description: String {
        switch self {
        case .badLocation(let location):
            "--blobs \(location): expected s3://BUCKET with a bucket of 3 to 63 lower-case letters, digits, '-' or '.', e.g. s3://oss-blobs"
        case .badEndpoint(let endpoint):
            "--blobs-endpoint \(endpoint): expected http(s)://HOST[:PORT] with no path, e.g. http://127.0.0.1:8333"
        case .missingCredentials:
            "the blob backend needs credentials: set OSS_BLOBS_ACCESS_KEY_ID and OSS_BLOBS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
        }
    }
}
