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
