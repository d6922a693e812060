/// RFC 3986 percent-encoding with the unreserved set both OSS SDKs use: `A-Za-z0-9-_.~`.
///
/// Signatures, listing results with `encoding-type=url` and request paths all depend on one exact
/// encoding; having it in one place keeps the server and the client from drifting apart.
/// Space is always `%20` and `+` is always `%2B`: the SDKs never form-encode.
public enum OSSPercentEncoding {
    /// Percent-encodes every UTF-8 byte outside `A-Za-z0-9-_.~` with upper-case hex.
    ///
    /// - Parameters:
    ///   - string: the text to encode, for example an object key.
    ///   - keepingSlash: keep `/` as is, as in a V4 canonical URI or a readable request path.
    /// - Returns: the encoded text; ASCII only.
    public static func encode(_ string: String, keepingSlash: Bool = false) -> String {
        var output = [UInt8]()
        output.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(Hex.upperDigits[Int(byte >> 4)])
                output.append(Hex.upperDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `%XX` escapes exactly once and checks that the result is valid UTF-8.
    ///
    /// `+` stays `+` (RFC 3986, not form decoding), so keys such as `c+d` survive a round trip.
    /// - Throws: ``OSSPercentDecodingError`` for a `%` not followed by two hex digits, or for bytes
    ///   that are not UTF-8 (object keys must be UTF-8).
    public static func decode(_ string: some StringProtocol) throws(OSSPercentDecodingError) -> String {
        let utf8 = string.utf8
        guard utf8.contains(UInt8(ascii: "%")) else { return String(string) }
        var output = [UInt8]()
        output.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                index = utf8.index(after: index)
                continue
            }
            let first = utf8.index(after: index)
            guard first != utf8.endIndex, let high = Hex.value(of: utf8[first]) else {
                throw .invalidEscape(String(string))
            }
            let second = utf8.index(after: first)
            guard second != utf8.endIndex, let low = Hex.value(of: utf8[second]) else {
                throw .invalidEscape(String(string))
            }
            output.append(high << 4 | low)
            index = utf8.index(after: second)
        }
        guard let decoded = String(validating: output, as: UTF8.self) else {
            throw .invalidUTF8(String(string))
        }
        return decoded
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
