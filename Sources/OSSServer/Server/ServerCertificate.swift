import NIOConcurrencyHelpers
import NIOSSL

/// The PEM files `oss serve --tls-certificate FILE --tls-key FILE` names.
public struct OSSTLSFiles: Sendable, Hashable {
    /// The server's certificate, followed by the intermediates a client needs to reach its CA.
    public var certificate: String
    /// The certificate's private key (PEM, unencrypted).
    public var key: String

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }

    /// Reads the files as the server will, so a command can refuse them before it creates
    /// anything.
    public func check() throws(ServerCertificateError) {
        _ = try ServerCertificate(self)
    }
}

/// Why the TLS files cannot be served, each message naming the file and the fix.
public enum ServerCertificateError: Error, CustomStringConvertible, Equatable {
    case unreadableCertificate(path: String, reason: String)
    case unreadableKey(path: String, reason: String)
    case mismatch(certificate: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableCertificate(let path, let reason):
            "--tls-certificate \(path): no PEM certificate can be read from it (\(reason)); give the server's certificate chain in PEM"
        case .unreadableKey(let path, let reason):
            "--tls-key \(path): no PEM private key can be read from it (\(reason)); give the certificate's unencrypted private key in PEM"
        case .mismatch(let certificate, let key, let reason):
            "--tls-key \(key) does not go with --tls-certificate \(certificate) (\(reason)); give the key the certificate was issued for"
        }
    }
}

/// The certificate the HTTPS listener presents, read again from its files on SIGHUP.
///
/// Each new connection takes the TLS context in effect when it is accepted; connections already
/// open keep theirs, so a reload (a renewed certificate) drops none. A reload that fails — a file
/// half written by the renewal tool, a key that does not match — keeps the previous context.
final class ServerCertificate: Sendable {
    let files: OSSTLSFiles
    private let current: NIOLockedValueBox<NIOSSLContext>

    /// Reads the files; throws when they cannot be served.
    init(_ files: OSSTLSFiles) throws(ServerCertificateError) {
        self.files = files
        current = NIOLockedValueBox(try Self.context(files))
    }

    /// The context new connections use.
    var context: NIOSSLContext { current.withLockedValue { $0 } }

    /// Reads the files again; on failure the previous certificate stays in effect.
    func reload() throws(ServerCertificateError) {
        let context = try Self.context(files)
        current.withLockedValue { $0 = context }
    }

    private static func context(_ files: OSSTLSFiles) throws(ServerCertificateError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw .unreadableCertificate(path: files.certificate, reason: "\(error)")
        }
        guard !chain.isEmpty else { throw .unreadableCertificate(path: files.certificate, reason: "no certificate in it") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw .unreadableKey(path: files.key, reason: "\(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .mismatch(certificate: files.certificate, key: files.key, reason: "\(error)")
        }
    }
}
