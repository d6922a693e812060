import Crypto

/// How OSS forms and compares ETags (§3.1): upper-case hexadecimal in double quotes.
enum ETag {
    /// The ETag of a body with MD5 `digest`: `"<32 upper-case hex>"`.
    static func simple(md5 digest: some Sequence<UInt8>) -> String {
        "\"" + hexadecimal(digest) + "\""
    }

    /// The ETag of a multipart object, as OSS forms it: the MD5 of the parts' binary MD5s
    /// concatenated in order, then `-<number of parts>`.
    static func multipart(partDigests: [[UInt8]]) -> String {
        var md5 = Insecure.MD5()
        for digest in partDigests { md5.update(data: digest) }
        return "\"" + hexadecimal(md5.finalize()) + "-\(partDigests.count)\""
    }

    /// Whether two ETags name the same content, ignoring quotes and letter case, because oss2
    /// strips the quotes and some clients lower-case the hex.
    static func matches(_ lhs: String, _ rhs: String) -> Bool {
        unquoted(lhs).uppercased() == unquoted(rhs).uppercased()
    }

    /// The binary MD5 in a simple ETag, or `nil` if `etag` is not one (e.g. multipart).
    static func md5(fromETag etag: String) -> [UInt8]? {
        let hex = Array(unquoted(etag).utf8)
        guard hex.count == 32 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        for index in stride(from: 0, to: 32, by: 2) {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    static func unquoted(_ etag: String) -> Substring {
        var value = Substring(etag)
        if value.hasPrefix("\"") { value = value.dropFirst() }
        if value.hasSuffix("\"") { value = value.dropLast() }
        return value
    }

    private static func hexadecimal(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text = [UInt8]()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x41...0x46: character - 0x41 + 10
        case 0x61...0x66: character - 0x61 + 10
        default: nil
        }
    }
}
