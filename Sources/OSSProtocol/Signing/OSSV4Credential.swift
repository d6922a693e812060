/// The V4 credential `AK/yyyyMMdd/region/oss/aliyun_v4_request`: who signed, and the scope the
/// signing key was derived for.
public struct OSSV4Credential: Sendable, Hashable {
    /// The literal last component of every scope.
    public static let terminator = "aliyun_v4_request"

    /// The AccessKeyId.
    public var accessKeyID: String
    /// The scope date, `yyyyMMdd`; must equal the first 8 characters of `x-oss-date`.
    public var date: String
    /// The region, such as `cn-hangzhou`.
    public var region: String
    /// The product; always `oss` here.
    public var product: String

    /// Creates a credential.
    public init(accessKeyID: String, date: String, region: String, product: String = "oss") {
        self.accessKeyID = accessKeyID
        self.date = date
        self.region = region
        self.product = product
    }

    /// `yyyyMMdd/region/product/aliyun_v4_request`, the third line of the StringToSign.
    public var scope: String {
        "\(date)/\(region)/\(product)/\(Self.terminator)"
    }

    /// `AK/` + ``scope``, as sent in `Credential=` and `x-oss-credential`.
    public var value: String {
        accessKeyID + "/" + scope
    }

    /// Parses `AK/yyyyMMdd/region/product/aliyun_v4_request`.
    ///
    /// The AccessKeyId is everything before the last four components.
    /// - Throws: `InvalidArgument` naming `argumentName` when the shape, the date, the product
    ///   (`oss`) or the terminator is wrong, or the region is empty.
    public init(parsing text: String, argumentName: String = "Credential") throws(OSSError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let invalid = OSSError.invalidArgument(
            "Invalid credential, expected AccessKeyId/yyyyMMdd/region/oss/aliyun_v4_request.",
            name: argumentName, value: text)
        guard parts.count >= 5 else { throw invalid }
        let accessKeyID = parts[..<(parts.count - 4)].joined(separator: "/")
        let date = parts[parts.count - 4]
        guard !accessKeyID.isEmpty, date.utf8.count == 8, date.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            parts[parts.count - 2] == "oss", parts[parts.count - 1] == Self.terminator
        else { throw invalid }
        guard !parts[parts.count - 3].isEmpty else {
            // OSS's words for a credential signed without a region, which oss2's tests compare.
            throw .invalidArgument("The signing region in credential is invalid.", name: argumentName, value: text)
        }
        self.init(accessKeyID: accessKeyID, date: date, region: parts[parts.count - 3], product: "oss")
    }
}
