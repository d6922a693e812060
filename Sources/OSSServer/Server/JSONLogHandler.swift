import Foundation
import Logging
import OSSProtocol

/// Log records as JSON, one object per line on standard error (`oss serve --log-format json`),
/// for collectors that parse fields rather than text.
///
/// Each object has `time` (UTC, ISO 8601 with milliseconds), `level`, `label` and `message`,
/// then every metadata field at the top level: the request record's `request-id`, `operation`,
/// `bucket`, `key`, `status` as its message says, `bytes-in`, `bytes-out`, `remote` and
/// `principal` become fields a query can select on. Nested metadata stays nested (arrays and
/// objects); every value is written as a JSON string otherwise, as swift-log hands it over.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    /// Where each line goes, newline included; standard error outside tests.
    let write: @Sendable (String) -> Void

    /// A handler for `label` writing through `writer` (standard error by default), so that no
    /// request waits for the log's reader.
    public init(label: String, writer: LogWriter = .standardError) {
        self.init(label: label) { line in writer.write(line) }
    }

    init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = LogFields.merged(metadata, metadataProvider, event.metadata)
        var text = "{\"time\":\"\(Self.timestamp(Date()))\",\"level\":\"\(event.level)\",\"label\":"
        text += JSONText.quoted(label)
        text += ",\"message\":"
        text += JSONText.quoted(event.message.description)
        // The record's own fields win over metadata of the same name.
        for (key, value) in fields where !Self.reserved.contains(key) {
            text += ","
            text += JSONText.quoted(key)
            text += ":"
            Self.append(value: value, to: &text)
        }
        text += "}\n"
        write(text)
    }

    private static let reserved: Set<String> = ["time", "level", "label", "message"]

    private static func append(value: Logger.Metadata.Value, to text: inout String) {
        switch value {
        case .string(let string): text += JSONText.quoted(string)
        case .stringConvertible(let convertible): text += JSONText.quoted(convertible.description)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                append(value: value, to: &text)
            }
            text += "]"
        case .dictionary(let values):
            text += "{"
            for (index, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { text += "," }
                text += JSONText.quoted(key)
                text += ":"
                append(value: value, to: &text)
            }
            text += "}"
        }
    }


    /// `2026-12-06T20:01:13.042Z`: computed by hand, as a shared date formatter would need a lock
    /// and a new one per line costs more than the line.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let milliseconds = Int((interval - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2)).\(padded(Int32(milliseconds), 3))Z"
    }
}
