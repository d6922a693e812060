import NIOSSL

/// Which certificate authorities an `https` endpoint's certificate must lead to.
///
/// The system's by default. A server whose certificate a private CA issued (a company CA, or a
/// test's) is reached by trusting that CA's certificate instead, as `curl --cacert` does;
/// verification itself is never turned off.
public struct OSSTrustedRoots: Sendable {
    let certificates: [NIOSSLCertificate]?

    /// The operating system's trust store.
    public static let system = OSSTrustedRoots(certificates: nil)

    /// Only the CA certificates of a PEM file (a "CA bundle"), read now so that a missing or
    /// malformed file is reported here rather than at the first request.
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` naming the file.
    public static func pemFile(_ path: String) throws(OSSClientError) -> OSSTrustedRoots {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .invalidArgument("The CA bundle \(path) cannot be read as PEM certificates (\(error)).")
        }
        guard !certificates.isEmpty else {
            throw .invalidArgument("The CA bundle \(path) holds no PEM certificate.")
        }
        return OSSTrustedRoots(certificates: certificates)
    }

    /// The TLS settings of the connection pool.
    var tlsConfiguration: TLSConfiguration? {
        guard let certificates else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(certificates)
        return configuration
    }
}
