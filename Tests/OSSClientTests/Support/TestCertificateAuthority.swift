import Crypto
import Foundation
import OSSServer
import SwiftASN1
import X509

/// A throwaway certificate authority and the server certificates it issues, as PEM files in a
/// folder, so that TLS is tested with a chain a client really verifies (nothing is turned off).
struct TestCertificateAuthority {
    let folder: URL
    private let key = P256.Signing.PrivateKey()
    private let name: DistinguishedName
    let certificate: Certificate

    /// The CA's certificate, the file a client trusts.
    var bundle: String { folder.appendingPathComponent("ca.pem").path }

    init(in folder: URL, name commonName: String = "swift-oss test CA") throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        name = try DistinguishedName { CommonName(commonName) }
        certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-300), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(key))
        try certificate.serializeAsPEM().pemString.write(toFile: bundle, atomically: true, encoding: .utf8)
    }

    /// Issues a certificate for 127.0.0.1 and `localhost` and writes it and its key as
    /// `<name>.pem` and `<name>.key`.
    func issueServerCertificate(_ fileName: String = "server") throws -> (files: OSSTLSFiles, certificate: Certificate) {
        let serverKey = P256.Signing.PrivateKey()
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-300), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: name, subject: try DistinguishedName { CommonName("127.0.0.1") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("localhost")])
            },
            issuerPrivateKey: .init(key))
        let files = OSSTLSFiles(
            certificate: folder.appendingPathComponent("\(fileName).pem").path,
            key: folder.appendingPathComponent("\(fileName).key").path)
        try leaf.serializeAsPEM().pemString.write(toFile: files.certificate, atomically: true, encoding: .utf8)
        try serverKey.pemRepresentation.write(toFile: files.key, atomically: true, encoding: .utf8)
        return (files, leaf)
    }
}
