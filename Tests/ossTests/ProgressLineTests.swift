import Synchronization
import Testing

@testable import oss

@Suite struct ProgressLineTests {
    @Test func rendersBarPercentageRateAndETA() {
        let line = ProgressLine(label: "up", total: 100 << 20, barWidth: 10)
        #expect(line.render(done: 25 << 20, elapsed: .seconds(5)) == "up  [==>       ]   25%  25.0 MiB / 100.0 MiB  5.0 MiB/s  ETA 0:15")
        #expect(line.render(done: 100 << 20, elapsed: .seconds(10)) == "up  [==========]  100%  100.0 MiB / 100.0 MiB  10.0 MiB/s")
    }

    @Test func unknownTotalShowsBytesAndRate() {
        let line = ProgressLine(label: "down", total: nil)
        #expect(line.render(done: 3 << 30, elapsed: .seconds(2)) == "down  3.0 GiB  1.5 GiB/s")
    }

    @Test func unitsAndClock() {
        #expect(ProgressLine.bytes(999) == "999 B")
        #expect(ProgressLine.bytes(1536) == "1.5 KiB")
        #expect(ProgressLine.clock(59.2) == "1:00")
        #expect(ProgressLine.clock(3725) == "1:02:05")
    }

    @Test func barWritesPlainLinesWhenNotATerminalAndFinishesOnce() {
        let lines = LockedLines()
        let bar = ProgressBar(label: "cp", total: 10, isTerminal: false) { lines.append($0) }
        bar.update(done: 5)
        bar.update(done: 6)  // within 5 s of the last line: not drawn
        bar.finish()
        bar.finish()
        let written = lines.all
        #expect(written.count == 2)
        #expect(written.first?.hasPrefix("cp  [") == true)
        #expect(written.last?.contains(" 60%") == true)
        #expect(written.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\u{1B}") })
    }
}

/// Lines written by a bar, collected across threads.
final class LockedLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
