import Foundation
import NIOConcurrencyHelpers
import NIOCore
import OSSProtocol

/// The access log lines of buckets with logging on (PutBucketLogging), waiting to be written as
/// objects into their target buckets by ``AccessLogService``.
///
/// Lines wait in memory, as OSS's own delivery is periodic and best effort: a crash loses at
/// most one interval's lines, never an object's bytes. Each bucket holds at most
/// ``maximumPendingBytes``; lines beyond that are dropped and counted in the next object.
final class AccessLog: Sendable {
    /// One bucket's waiting lines.
    struct Pending: Sendable {
        var target: String
        var prefix: String
        var lines: [String] = []
        var bytes = 0
        var dropped = 0
    }

    static let maximumPendingBytes = 8 << 20

    private let pending = NIOLockedValueBox<[String: Pending]>([:])

    func record(bucket: String, target: String, prefix: String, line: String) {
        pending.withLockedValue { pending in
            var entry = pending[bucket] ?? Pending(target: target, prefix: prefix)
            entry.target = target
            entry.prefix = prefix
            if entry.bytes + line.utf8.count + 1 > Self.maximumPendingBytes {
                entry.dropped += 1
            } else {
                entry.lines.append(line)
                entry.bytes += line.utf8.count + 1
            }
            pending[bucket] = entry
        }
    }

    /// Takes every waiting line, by source bucket.
    func drain() -> [String: Pending] {
        pending.withLockedValue { pending in
            defer { pending = [:] }
            return pending
        }
    }

    /// One line in OSS's access log format: space-separated fields, text fields quoted, `-` for
    /// what is unknown.
    static func line(
        remoteIP: String, time: Date, method: String, target: String, status: Int, sentBytes: Int?, milliseconds: Int,
        referer: String?, userAgent: String?, host: String?, requestID: String, principal: String?, operation: String?,
        bucket: String, key: String?, accessKeyID: String?
    ) -> String {
        func quoted(_ value: String?) -> String {
            "\"" + (value ?? "-").replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\n", with: "%0A") + "\""
        }
        return [
            remoteIP, "-", "-", "[\(OSSDateFormat.accessLog(time))]", quoted("\(method) \(target) HTTP/1.1"), String(status),
            sentBytes.map(String.init) ?? "-", String(milliseconds), quoted(referer), quoted(userAgent), quoted(host),
            quoted(requestID), quoted("true"), quoted(principal), quoted(operation), quoted(bucket),
            quoted(key.map { OSSPercentEncoding.encode($0, keepingSlash: true) }), "-", "-", quoted("-"), "-", quoted(principal), "-",
            quoted("-"), quoted("-"), quoted("-"), quoted("-"), quoted(accessKeyID),
        ].joined(separator: " ")
    }

    /// The name of a log object: `<TargetPrefix><SourceBucket>YYYY-mm-DD-HH-MM-SS-<unique>`.
    static func objectKey(prefix: String, bucket: String, time: Date) -> String {
        "\(prefix)\(bucket)\(OSSDateFormat.logObjectStamp(time))-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    }
}

/// A body of one buffer, for objects the server writes itself.
struct SingleBufferBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffer: ByteBuffer

    struct AsyncIterator: AsyncIteratorProtocol {
        var buffer: ByteBuffer?
        mutating func next() async -> ByteBuffer? {
            defer { buffer = nil }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}
