import Crypto
import Foundation

/// The keyed hashes of V1 and V4, over UTF-8 text.
enum MAC {
    static func sha1(key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key)))
    }

    static func sha256(key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key)))
    }

    /// HMAC-SHA256 of each message keyed by the previous result, starting from `key`: how both V4
    /// schemes derive a signing key from the secret and the scope's parts.
    static func sha256Chain(key: [UInt8], _ messages: String...) -> [UInt8] {
        messages.reduce(key) { sha256(key: $0, $1) }
    }

    static func sha256Hex(_ message: String) -> String {
        Hex.encode(SHA256.hash(data: Data(message.utf8)))
    }

    /// Compares two signatures without an early exit, so that timing does not reveal a prefix.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
