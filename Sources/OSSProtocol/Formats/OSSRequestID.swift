import Foundation

/// Request ids as OSS makes them: 24 upper-case hex characters (§3.1).
///
/// The first 8 characters are the Unix time, as in OSS ids, so ids sort roughly by time and a
/// log line can be dated from its id; the other 16 are random.
public enum OSSRequestID {
    /// A new request id for `now`, drawing randomness from `generator`.
    public static func make(now: Date, using generator: inout some RandomNumberGenerator) -> String {
        let seconds = UInt32(truncatingIfNeeded: Int64(now.timeIntervalSince1970.rounded(.down)))
        let random = generator.next() as UInt64
        return hex(UInt64(seconds), digits: 8) + hex(random, digits: 16)
    }

    /// A new request id for `now` with the system random number generator.
    public static func make(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(now: now, using: &generator)
    }

    /// Whether a string has the shape of a request id.
    public static func isValid(_ id: String) -> Bool {
        id.utf8.count == 24 && id.utf8.allSatisfy { Hex.upperDigits.contains($0) }
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        var bytes = [UInt8]()
        for index in stride(from: digits - 1, through: 0, by: -1) {
            bytes.append(Hex.upperDigits[Int((value >> (UInt64(index) * 4)) & 0xF)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
