#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOConcurrencyHelpers

/// Writes log lines to a file descriptor (standard error) from a thread of its own.
///
/// A request's task only appends its line to a buffer; the writer thread writes whatever has
/// gathered in one `write`. So no request ever waits for the log's reader (a pipe to journald or
/// a collector that stalls would otherwise stall the cooperative pool, and every request with
/// it), and under load many lines share one system call: after each write the thread rests for
/// ``gathering`` (10 ms) while lines gather, rather than waking, and switching threads, for every
/// request. The buffer is bounded: when the reader falls that far behind, lines are dropped
/// rather than memory grown, and a line saying how many were dropped is written once it catches
/// up. What a crash can lose is the lines of those last milliseconds.
public final class LogWriter: @unchecked Sendable {
    /// The standard-error writer `oss serve` logs through.
    public static let standardError = LogWriter(descriptor: STDERR_FILENO)

    private struct Pending {
        var bytes: [UInt8] = []
        var dropped = 0
        /// Whether the thread holds bytes it has taken but not yet written.
        var writing = false
    }

    /// How long the thread lets lines gather after a write.
    static let gathering: Duration = .milliseconds(10)
    private let descriptor: Int32
    private let capacity: Int
    /// 1 while bytes wait to be written, 0 otherwise.
    private let condition = ConditionLock(value: 0)
    /// Guarded by `condition`.
    private var pending = Pending()

    /// A writer and its thread, for the life of the process.
    /// - Parameter capacity: the most bytes held for the reader; beyond, lines are dropped.
    init(descriptor: Int32, capacity: Int = 4 << 20) {
        self.descriptor = descriptor
        self.capacity = capacity
        let thread = Thread { [self] in self.run() }
        thread.name = "oss-log-writer"
        thread.start()
    }

    /// The last second's timestamp, computed once per second rather than once per line.
    private let clock = NIOLockedValueBox((second: 0, text: ""))

    /// Local time with its offset, to the second (`2026-12-06T23:11:38+0000`), as swift-log's
    /// stream handler writes it.
    func timestamp() -> String {
        let now = time(nil)
        if let cached = clock.withLockedValue({ $0.second == now ? $0.text : nil }) { return cached }
        var seconds = now
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        clock.withLockedValue { $0 = (now, text) }
        return text
    }

    /// Queues `line` (newline included); never waits for the reader.
    func write(_ line: String) {
        condition.lock()
        if pending.bytes.count + line.utf8.count > capacity {
            pending.dropped += 1
        } else {
            pending.bytes.append(contentsOf: line.utf8)
        }
        condition.unlock(withValue: 1)
    }

    /// Returns once every line queued before the call has been written (or `timeout` passed):
    /// before the process exits.
    public func flush(timeout: Duration = .seconds(5)) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            condition.lock()
            let done = pending.bytes.isEmpty && !pending.writing
            condition.unlock()
            if done { return }
            usleep(1_000)
        }
    }

    private func run() {
        while true {
            condition.lock(whenValue: 1)
            var bytes = pending.bytes
            pending.bytes = []
            pending.bytes.reserveCapacity(min(bytes.count, 64 << 10))
            if pending.dropped > 0 {
                bytes += Array("\(pending.dropped) log line(s) dropped: the log's reader fell \(capacity >> 10) KiB behind\n".utf8)
                pending.dropped = 0
            }
            pending.writing = true
            condition.unlock(withValue: 0)
            writeAll(bytes)
            condition.lock()
            pending.writing = false
            condition.unlock(withValue: pending.bytes.isEmpty && pending.dropped == 0 ? 0 : 1)
            usleep(UInt32(Self.gathering / .microseconds(1)))
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = writeDescriptor(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // Nowhere left to say it: the log's reader is gone.
                }
                offset += written
            }
        }
    }
}

/// `write(2)`, named apart from ``LogWriter/write(_:)``.
private func writeDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
