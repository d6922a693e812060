/// Where an S3-compatible object store keeps this server's blobs, and how to sign for it.
///
/// The backend is a place for immutable blobs, one object each, in one bucket; object names
/// and metadata stay in the metadata store. Credentials come from the environment, never from
/// the command line, and are never logged.
struct S3BackendConfiguration: Sendable {
    /// `http` or `https`.
    var scheme: String
    /// The backend's host name or address.
    var host: String
    /// The backend's port.
    var port: Int
    /// The bucket that holds the blobs (path-style addressing: `/<bucket>/<key>`).
    var bucket: String
    /// The signing region; S3-compatible stores other than AWS accept any, usually `us-east-1`.
    var region: String
    /// The backend's access key id.
    var accessKeyID: String
    /// The backend's secret key.
    var secret: String

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
