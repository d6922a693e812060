import Foundation

/// The three timestamp formats of the OSS protocol, formatted and parsed without `DateFormatter`
/// (which is slow, locale-sensitive and not `Sendable`).
///
/// All three are UTC and whole seconds; fractions are truncated when formatting.
public enum OSSDateFormat {
    /// RFC 1123 with a two-digit day, `Fri, 05 Mar 2024 08:30:00 GMT`, for `Date`, `Last-Modified`
    /// and V1 signatures. oss2 rejects a one-digit day, so this always writes two.
    public static func httpDate(_ date: Date) -> String {
        let time = UTCTime(date)
        return "\(weekdays[time.weekday]), \(pad(time.day, 2)) \(months[time.month - 1]) \(pad(time.year, 4)) "
            + "\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2)) GMT"
    }

    /// Parses an RFC 1123 date such as `Fri, 15 Mar 2024 08:30:00 GMT`.
    ///
    /// Accepts a one-digit day and any weekday name (the weekday is not checked), and `GMT` or
    /// `UTC` as the zone. Returns `nil` for anything else.
    public static func date(httpDate text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT" || parts[5] == "UTC",
            let day = number(parts[1], digits: 1...2),
            let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = number(parts[3], digits: 4...4)
        else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = number(clock[0], digits: 2...2),
            let minute = number(clock[1], digits: 2...2), let second = number(clock[2], digits: 2...2)
        else { return nil }
        return UTCTime.date(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
    }

    /// The XML timestamp, exactly `YYYY-MM-DDTHH:MM:SS.000Z`: oss2 rejects any other fraction.
    public static func iso8601(_ date: Date) -> String {
        let time = UTCTime(date)
        return "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2))T"
            + "\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2)).000Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…]Z`; the fraction is optional and ignored, so documents
    /// from real OSS and from other servers both read.
    public static func date(iso8601 text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"),
            bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
            let second = number(bytes[17..<19])
        else { return nil }
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, number(bytes[20..<(bytes.count - 1)]) != nil
            else { return nil }
        }
        return UTCTime.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The time of an access log line, `06/Dec/2026:08:16:00 +0000`.
    public static func accessLog(_ date: Date) -> String {
        let time = UTCTime(date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(pad(time.day, 2))/\(months[time.month - 1])/\(pad(time.year, 4)):\(pad(time.hour, 2)):"
            + "\(pad(time.minute, 2)):\(pad(time.second, 2)) +0000"
    }

    /// The time in the name of an access log object, `2026-12-06-08-16-00`.
    public static func logObjectStamp(_ date: Date) -> String {
        let time = UTCTime(date)
        return "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2))-\(pad(time.hour, 2))-"
            + "\(pad(time.minute, 2))-\(pad(time.second, 2))"
    }

    /// The V4 timestamp `yyyyMMdd'T'HHmmss'Z'` of `x-oss-date`, such as `20240315T083000Z`.
    public static func v4Timestamp(_ date: Date) -> String {
        let time = UTCTime(date)
        return "\(pad(time.year, 4))\(pad(time.month, 2))\(pad(time.day, 2))T"
            + "\(pad(time.hour, 2))\(pad(time.minute, 2))\(pad(time.second, 2))Z"
    }

    /// Parses a V4 timestamp such as `20240315T083000Z`; `nil` for any other shape.
    public static func date(v4Timestamp text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
            let year = number(bytes[0..<4]), let month = number(bytes[4..<6]), let day = number(bytes[6..<8]),
            let hour = number(bytes[9..<11]), let minute = number(bytes[11..<13]),
            let second = number(bytes[13..<15])
        else { return nil }
        return UTCTime.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func number(_ text: some StringProtocol, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.utf8.count) else { return nil }
        return number(Array(text.utf8)[...])
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
