import Foundation

/// The parameters of a V4 presigned URL (§2.5).
package struct OSSV4PresignedQuery: Sendable, Hashable {
    /// The longest validity the SDKs and OSS accept: 7 days.
    public static let maximumExpires = 604_800

    /// Who signed and for which scope (`x-oss-credential`).
    public var credential: OSSV4Credential
    /// The signing time as sent (`x-oss-date`, `yyyyMMdd'T'HHmmss'Z'`).
    public var timestamp: String
    /// The signing time, parsed from ``timestamp``.
    public var date: Date
    /// Validity in seconds after ``date`` (`x-oss-expires`), 1…604800.
    public var expires: Int
    /// `x-oss-additional-headers`, lower-cased and sorted.
    public var additionalHeaders: [String]
    /// The lower-case hex signature (`x-oss-signature`).
    public var signature: String

    /// Parses the `x-oss-*` signature parameters of a query.
    ///
    /// - Throws: 400 `InvalidArgument` naming the parameter that is missing or malformed.
    public init(parsing query: [OSSQueryItem]) throws(OSSError) {
        func required(_ name: String) throws(OSSError) -> String {
            guard let value = query.value(for: name), !value.isEmpty else {
                throw .invalidArgument("The presigned URL lacks \(name).", name: name)
            }
            return value
        }
        let version = try required("x-oss-signature-version")
        guard version == OSSSignatureV4.algorithm else {
            throw .invalidArgument(
                "Unsupported x-oss-signature-version; use OSS4-HMAC-SHA256.", name: "x-oss-signature-version",
                value: version)
        }
        credential = try OSSV4Credential(parsing: try required("x-oss-credential"), argumentName: "x-oss-credential")
        timestamp = try required("x-oss-date")
        guard let parsedDate = OSSDateFormat.date(v4Timestamp: timestamp) else {
            throw .invalidArgument("x-oss-date must be yyyyMMddTHHmmssZ.", name: "x-oss-date", value: timestamp)
        }
        date = parsedDate
        let expiresText = try required("x-oss-expires")
        guard let expires = Int(expiresText), (1...Self.maximumExpires).contains(expires) else {
            throw .invalidArgument(
                "x-oss-expires must be a number of seconds from 1 to \(Self.maximumExpires).", name: "x-oss-expires",
                value: expiresText, ec: "0002-00000232")
        }
        self.expires = expires
        if let additional = query.value(for: "x-oss-additional-headers") {
            let names = additional.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard !additional.isEmpty, !names.contains(where: \.isEmpty) else {
                throw .invalidArgument(
                    "x-oss-additional-headers must not be empty.", name: "x-oss-additional-headers", value: additional)
            }
            additionalHeaders = OSSSignatureV4.normalizedAdditionalHeaders(names)
        } else {
            additionalHeaders = []
        }
        signature = try required("x-oss-signature")
    }
}
