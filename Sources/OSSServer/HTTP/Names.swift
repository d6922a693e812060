import OSSProtocol

/// Bucket name rules (§3.3): 3–63 characters of `a-z0-9-`, alphanumeric at both ends.
enum BucketName {
    static func validate(_ name: String) throws(OSSError) {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard (3...63).contains(bytes.count), bytes.allSatisfy({ isAlphanumeric($0) || $0 == 0x2D }),
            isAlphanumeric(bytes.first!), isAlphanumeric(bytes.last!)
        else { throw .invalidBucketName(name) }
    }
}

/// Object key rules (§5.3): UTF-8, 1–1023 bytes, not starting with `/` or `\`; we also refuse
/// NUL and `..` segments, which no SDK can address safely (urllib3 normalises them away).
enum ObjectName {
    static func validate(_ key: String) throws(OSSError) {
        let count = key.utf8.count
        guard count >= 1 else { throw .invalidObjectName(key, reason: "The key is empty.") }
        guard count <= 1023 else { throw .invalidObjectName(String(key.prefix(64)) + "…", reason: "The key is longer than 1023 bytes.") }
        guard let first = key.utf8.first, first != UInt8(ascii: "/"), first != UInt8(ascii: "\\") else {
            throw .invalidObjectName(key, reason: "The key must not start with '/' or '\\'.")
        }
        guard !key.utf8.contains(0) else { throw .invalidObjectName(key, reason: "The key contains a NUL byte.") }
        guard !key.split(separator: "/", omittingEmptySubsequences: false).contains("..") else {
            throw .invalidObjectName(key, reason: "The key contains a '..' segment.")
        }
    }
}
