/// The name of one immutable blob file: 32 random lower-case hexadecimal characters.
///
/// Blobs are never rewritten. An overwrite writes a new blob and swaps the metadata, so a reader
/// that holds a blob id keeps seeing the bytes it started with, and a crash can only leave whole
/// blobs behind, never half-updated ones.
struct BlobID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file name, also what metadata stores.
    let rawValue: String

    /// Accepts only well-formed names, so that a file that storage did not write (`.DS_Store`,
    /// an editor's backup) is never mistaken for a blob and deleted by recovery.
    init?(rawValue: String) {
        guard rawValue.utf8.count == 32,
              rawValue.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.rawValue = rawValue
    }

    /// A fresh id from the system's random generator (128 bits: collisions are not a concern).
    static func random() -> BlobID {
        var generator = SystemRandomNumberGenerator()
        let words = (generator.next() as UInt64, generator.next() as UInt64)
        let hex = hexadecimal(words.0) + hexadecimal(words.1)
        return BlobID(rawValue: hex)!
    }

    /// The fan-out folder: the first two characters, so no folder holds more than 1/256 of the blobs.
    var shard: String { String(rawValue.prefix(2)) }

    var description: String { rawValue }

    static func < (lhs: BlobID, rhs: BlobID) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func hexadecimal(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
