#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Testing

@testable import OSSServer

@Suite("Log lines: written from a thread of their own, never waited for")
struct LogWriterTests {
    /// A pipe: (read end, write end).
    static func pipe() throws -> (Int32, Int32) {
        var ends: [Int32] = [0, 0]
        try #require(Glibc.pipe(&ends) == 0)
        return (ends[0], ends[1])
    }

    /// Reads what is in the pipe now (non-blocking).
    static func drain(_ descriptor: Int32) -> String {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("lines arrive whole and in order, and flush returns once they are written")
    func linesInOrder() throws {
        let (reader, writerEnd) = try Self.pipe()
        defer { close(reader); close(writerEnd) }
        let writer = LogWriter(descriptor: writerEnd)
        for index in 0..<500 { writer.write("line \(index)\n") }
        writer.flush()
        let lines = Self.drain(reader).split(separator: "\n").map(String.init)
        #expect(lines == (0..<500).map { "line \($0)" })
    }

    @Test("a reader that stops reading blocks no writer: lines beyond the buffer are dropped and counted once it reads again")
    func stalledReaderDropsInsteadOfBlocking() async throws {
        let (reader, writerEnd) = try Self.pipe()
        defer { close(reader); close(writerEnd) }
        let writer = LogWriter(descriptor: writerEnd, capacity: 64 << 10)
        let line = String(repeating: "x", count: 99) + "\n"
        // The pipe holds 64 KiB and nobody reads it: 4 MiB of lines must still all return. A
        // liveness bound, not a speed claim: a blocking writer would never finish.
        let written = Task.detached {
            for _ in 0..<40_000 { writer.write(line) }
            return true
        }
        let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await written.value }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return false
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        #expect(finished, "writing log lines waited for a reader that does not read")
        // Now the reader reads: what was kept, then how many lines were dropped.
        let stop = Flag()
        let drained = Task.detached {
            var text = ""
            while !stop.isRaised {
                text += Self.drain(reader)
                try? await Task.sleep(for: .milliseconds(5))
            }
            return text + Self.drain(reader)
        }
        await Task.detached { writer.flush(timeout: .seconds(30)) }.value
        stop.raise()
        let lines = await drained.value.split(separator: "\n")
        let notices = lines.filter { $0.contains("log line(s) dropped") }
        let dropped = notices.compactMap { Int($0.split(separator: " ")[0]) }.reduce(0, +)
        let kept = lines.filter { $0 == line.dropLast() }.count
        #expect(dropped > 0)
        // Every line was either written or counted as dropped; none half written.
        #expect(kept + dropped == 40_000)
        #expect(kept + notices.count == lines.count)
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        func raise() { lock.withLock { raised = true } }
        var isRaised: Bool { lock.withLock { raised } }
    }

    @Test("text lines keep swift-log's layout: time, level, label, sorted metadata, source, message")
    func textLayout() throws {
        let (reader, writerEnd) = try Self.pipe()
        defer { close(reader); close(writerEnd) }
        let writer = LogWriter(descriptor: writerEnd)
        var logger = Logger(label: "oss.serve") { TextLogHandler(label: $0, writer: writer) }
        logger[metadataKey: "node"] = "n1"
        logger.info("served", metadata: ["status": "200", "bytes-in": "5"])
        logger.debug("not at info")
        writer.flush()
        let line = Self.drain(reader)
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info oss\.serve: bytes-in=5 node=n1 status=200 \[OSSServerTests\] served\n$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }
}
