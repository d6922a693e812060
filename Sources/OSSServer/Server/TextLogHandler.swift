#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// Log lines as text, in swift-log's `StreamLogHandler` layout
/// (`2026-12-06T23:11:38+0000 info oss.serve: key=value … [source] message`), written through a
/// ``LogWriter`` so that no request waits for the log's reader.
public struct TextLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    /// Set on every request's logger (its request id), logged once: so it is only formatted when
    /// a line is written.
    public var metadata: Logger.Metadata = [:]
    let label: String
    let writer: LogWriter

    /// A handler for `label` writing through `writer` (standard error by default).
    public init(label: String, writer: LogWriter = .standardError) {
        self.label = label
        self.writer = writer
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = LogFields.merged(metadata, metadataProvider, event.metadata)
        var line = writer.timestamp()
        line.reserveCapacity(160 + fields.count * 24)
        line += " \(event.level)"
        if !label.isEmpty { line += " " + label }
        line += ":"
        for (key, value) in fields { line += " " + key + "=" + value.description }
        line += " [\(event.source)] \(event.message)\n"
        writer.write(line)
    }

}
