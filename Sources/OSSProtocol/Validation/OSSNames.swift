/// Bucket-name and object-key rules (§5.3), checked the same way by server and client.
public enum OSSNames {
    /// The longest key in UTF-8 bytes.
    public static let maximumKeyBytes = 1023

    /// Whether a bucket name is 3–63 characters of `a-z0-9-`, alphanumeric at both ends.
    public static func isValidBucketName(_ name: String) -> Bool {
        problem(withBucketName: name) == nil
    }

    /// Which rule a bucket name breaks, as a sentence naming it, or `nil` when it is valid: for
    /// messages that say what to change rather than only that the name is invalid.
    public static func problem(withBucketName name: String) -> String? {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (3...63).contains(bytes.count) else {
            return "a bucket name has 3 to 63 characters; '\(name)' has \(name.count)"
        }
        if let bad = name.first(where: { !($0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-")) }) {
            let hint = bad.isUppercase ? " (upper case is not allowed)" : ""
            return "a bucket name has only lower-case letters, digits and '-'; '\(name)' has '\(bad)'\(hint)"
        }
        guard isAlphanumeric(bytes[0]), isAlphanumeric(bytes[bytes.count - 1]) else {
            return "a bucket name starts and ends with a letter or digit; '\(name)' does not"
        }
        return nil
    }

    /// Checks a bucket name.
    /// - Throws: 400 `InvalidBucketName`.
    public static func validateBucketName(_ name: String) throws(OSSError) {
        guard isValidBucketName(name) else { throw .invalidBucketName(name) }
    }

    /// Why a key is refused, or `nil` when it is acceptable.
    ///
    /// OSS's rules (1–1023 UTF-8 bytes, no leading `/` or `\`) plus two of ours: no NUL byte
    /// (it truncates C strings and file names) and no `..` path segment (v2 cannot address such
    /// keys anyway, and refusing them keeps any file-system mapping safe).
    public static func problem(withKey key: String) -> String? {
        let count = key.utf8.count
        if count == 0 { return "the key is empty." }
        if count > maximumKeyBytes { return "the key is longer than \(maximumKeyBytes) bytes." }
        if key.hasPrefix("/") || key.hasPrefix("\\") { return "the key starts with / or \\." }
        if key.utf8.contains(0) { return "the key contains a NUL byte." }
        if key.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return "the key contains a .. path segment."
        }
        return nil
    }

    /// Whether a key is acceptable; see ``problem(withKey:)``.
    public static func isValidObjectKey(_ key: String) -> Bool {
        problem(withKey: key) == nil
    }

    /// Checks an object key.
    /// - Throws: 400 `InvalidObjectName` naming the problem.
    public static func validateObjectKey(_ key: String) throws(OSSError) {
        if let problem = problem(withKey: key) { throw .invalidObjectName(key, reason: problem) }
    }
}
