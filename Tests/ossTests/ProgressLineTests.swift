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
        let bar = ProgressBar(label: "cp", total: 10 << 20, isTerminal: false) { lines.append($0) }
        bar.update(done: 5 << 20)
        bar.update(done: 6 << 20)  // within 5 s of the last line: not drawn
        bar.finish()
        bar.finish()
        let written = lines.all
        #expect(written.count == 2)
        #expect(written.first?.hasPrefix("cp  [") == true)
        #expect(written.last?.contains(" 60%") == true)
        #expect(written.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\u{1B}") })
    }
}

extension ProgressLineTests {
    @Test("a resumed transfer's rate counts only the bytes moved in this run")
    func resumedRate() {
        let line = ProgressLine(label: "up", total: 100 << 20, barWidth: 10)
        // 60 MiB were in the checkpoint; 10 MiB moved in 5 s: 2 MiB/s, 30 MiB left: 15 s.
        #expect(line.render(done: 70 << 20, resumed: 60 << 20, elapsed: .seconds(5))
            == "up  [=======>  ]   70%  70.0 MiB / 100.0 MiB  2.0 MiB/s  ETA 0:15")
    }

    @Test("a download learns its total from the first update and shows percentage and ETA")
    func totalLearnedLater() {
        let lines = LockedLines()
        let bar = ProgressBar(label: "down", total: nil, isTerminal: false) { lines.append($0) }
        bar.update(done: 0, total: 4 << 20)
        bar.finish()
        #expect(lines.all.first?.contains("0 B / 4.0 MiB") == true, "\(lines.all)")
        #expect(lines.all.count == 2)
    }

    @Test("tiny transfers and transfers that never started draw nothing")
    func nothingDrawn() {
        let lines = LockedLines()
        let tiny = ProgressBar(label: "small", total: 1000, isTerminal: true) { lines.append($0) }
        tiny.update(done: 1000)
        tiny.finish()
        let unstarted = ProgressBar(label: "failed", total: nil, isTerminal: true) { lines.append($0) }
        unstarted.finish()
        let learnedTiny = ProgressBar(label: "small download", total: nil, isTerminal: false) { lines.append($0) }
        learnedTiny.update(done: 10, total: 10)
        learnedTiny.finish()
        #expect(lines.all.isEmpty, "\(lines.all)")
    }
}

/// Lines written by a bar, collected across threads.
final class LockedLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
