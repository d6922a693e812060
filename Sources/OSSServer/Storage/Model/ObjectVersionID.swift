/// Version ids: how a stored version is named to clients, and how a name finds its row again.
///
/// A version id is 32 lower-case hex digits: the row id of the version (16 digits, so ids sort
/// as the versions were written) and a random nonce (16 digits). The row id makes a lookup one
/// primary-key read and lets ListObjectVersions resume after a version that has since been
/// deleted; the nonce makes an id name one version for ever, even if a database restored from a
/// backup hands out the same row id again. The version written while versioning was off or
/// suspended is `null`, as on OSS.
enum ObjectVersionID {
    /// The version written while versioning is off or suspended.
    static let null = "null"

    /// A new id for the version stored at `rowID`.
    static func make(rowID: Int64) -> String {
        hex(UInt64(bitPattern: rowID)) + hex(UInt64.random(in: .min ... .max))
    }

    /// The row id a well-formed version id names; `nil` for `null` and for malformed ids.
    static func rowID(_ versionID: String) -> Int64? {
        let digits = Array(versionID.utf8)
        guard digits.count == 32, digits.allSatisfy(isHexDigit) else { return nil }
        return Int64(bitPattern: UInt64(String(decoding: digits[..<16], as: UTF8.self), radix: 16) ?? 0)
    }

    /// Whether clients could have been given this id: `null` or a well-formed id.
    static func isWellFormed(_ versionID: String) -> Bool {
        versionID == null || rowID(versionID) != nil
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
