import NIOCore
import CRC64
import Foundation

/// What a scrub pass did and found.
struct ScrubReport: Sendable {
    /// Blob files checked.
    var blobs = 0
    /// Bytes read.
    var bytes = 0
    /// The object versions marked damaged by this pass, with why.
    var damaged: [DamagedObject] = []
    /// Whether the pass reached the last blob; `false` when it stopped early and left its
    /// position for the next one.
    var finished = false
}

/// How a scrub pass runs.
struct ScrubOptions: Sendable {
    /// The most bytes read per second; `nil` for as fast as the blob store answers.
    var bytesPerSecond: Int?
    /// At most this many blobs this time; the next pass goes on from there.
    var blobLimit: Int?
    /// Told after each blob, with the report so far.
    var progress: (@Sendable (ScrubReport) -> Void)?
    /// Bytes per read.
    var chunkSize = 1 << 20
    /// How many chunks are being read at once (ahead of the one being checked).
    var readAhead = 2
}

/// The scrubber: data at rest re-read and checked against the CRC-64s recorded when it was
/// written, so that a blob that rots where nobody reads it is found before somebody needs it.
///
/// A pass walks every blob file an object refers to in blob id order (a blob that copies share
/// is read once), compares its size with the recorded one and its CRC-64 with the recorded
/// CRC, and marks every object version whose bytes include a blob that is missing, shorter than
/// recorded or different (``ObjectRecord/damage``): GET, HEAD and copies of a marked object
/// are refused (``StorageError/corruptObject(bucket:key:reason:)``) until it is uploaded again
/// or the mark is cleared (``MetadataStore/forgetDamage(bucket:key:)``) after its bytes were
/// restored by hand. Every finding is logged at error level with both CRCs.
///
/// The position (the last blob checked) is saved in the metadata at least every second, so a
/// pass that stops, by cancellation, by ``ScrubOptions/blobLimit`` or with the process, goes on
/// from there next time. A blob that cannot be read just now (a backend that does not answer)
/// stops the pass with the error, marking nothing.
extension ObjectStorage {
    /// Where the unfinished pass stopped: the last blob it checked.
    static let scrubPositionSetting = "scrub.position"
    /// When the last pass finished, in seconds since 1970.
    static let scrubFinishedSetting = "scrub.finished"

    func scrub(_ options: ScrubOptions = ScrubOptions()) async throws(StorageError) -> ScrubReport {
        var report = ScrubReport()
        var position = try await metadata.setting(Self.scrubPositionSetting).flatMap(BlobID.init(rawValue:))
        let pace = ScrubPace(bytesPerSecond: options.bytesPerSecond)
        var saved = ContinuousClock.now
        while true {
            let page = try await metadata.scrubTargets(after: position, limit: 256)
            guard !page.isEmpty else { break }
            for target in page {
                if Task.isCancelled || options.blobLimit.map({ report.blobs >= $0 }) == true {
                    try await metadata.setSetting(Self.scrubPositionSetting, to: position?.rawValue)
                    return report
                }
                if let problem = try await scrubProblem(target, options, pace, &report) {
                    let objects = try await metadata.markDamaged(target.blob, reason: problem)
                    logger.error(
                        "scrub: stored bytes damaged; GET, HEAD and copies of these objects are refused until they are uploaded again",
                        metadata: [
                            "blob": "\(target.blob)", "problem": "\(problem)",
                            "objects": "\(objects.map { "\($0.bucket)/\($0.key)" + ($0.part.map { " (upload \($0.uploadID) part \($0.partNumber))" } ?? "") }.joined(separator: ", "))",
                        ])
                    report.damaged += objects
                    damage.recordScrubbed()
                }
                report.blobs += 1
                position = target.blob
                options.progress?(report)
                if ContinuousClock.now - saved >= .seconds(1) {
                    try await metadata.setSetting(Self.scrubPositionSetting, to: position?.rawValue)
                    saved = .now
                }
            }
        }
        try await metadata.setSetting(Self.scrubPositionSetting, to: nil)
        try await metadata.setSetting(Self.scrubFinishedSetting, to: String(Int(Date().timeIntervalSince1970)))
        report.finished = true
        return report
    }

    /// What is wrong with `target`'s blob, `nil` when its bytes are those recorded.
    private func scrubProblem(
        _ target: ScrubTarget, _ options: ScrubOptions, _ pace: ScrubPace, _ report: inout ScrubReport
    ) async throws(StorageError) -> String? {
        guard let size = try await blobs.size(of: target.blob) else { return "the blob file is missing" }
        guard size >= target.size else { return "the blob file has \(size) bytes, \(target.size) recorded" }
        let reader = try await blobs.open(target.blob)
        // Reads ahead: the next chunks are read (on the blocking pool) while this one's CRC-64
        // is computed; one chunk at a time left the disk idle while the CRC ran and kept a
        // single request in the disk's queue.
        var requested = 0
        func readNext() -> Task<Result<ByteBuffer, StorageError>, Never>? {
            guard requested < target.size else { return nil }
            let (count, offset) = (min(options.chunkSize, target.size - requested), requested)
            requested += count
            return Task {
                do throws(StorageError) {
                    return .success(try await reader.read(count: count, at: offset))
                } catch {
                    return .failure(error)
                }
            }
        }
        var inFlight = (0..<options.readAhead).compactMap { _ in readNext() }
        defer { for read in inFlight { read.cancel() } }
        var crc = CRC64Hasher(.xz)
        var offset = 0
        while !inFlight.isEmpty {
            let chunk = try await inFlight.removeFirst().value.get()
            guard chunk.readableBytes == min(options.chunkSize, target.size - offset) else {
                return "the blob file ended at byte \(offset + chunk.readableBytes), \(target.size) recorded"
            }
            if let read = readNext() { inFlight.append(read) }
            chunk.withUnsafeReadableBytes { crc.update($0) }
            offset += chunk.readableBytes
            report.bytes += chunk.readableBytes
            await pace.wait(forTotal: report.bytes)
        }
        guard crc.checksum == target.crc64 else {
            return "the blob's CRC-64 is \(crc.checksum), \(target.crc64) recorded"
        }
        return nil
    }
}

/// Keeps a pass at or below its rate: after each read it sleeps until the bytes read so far
/// are no more than the rate allows since the pass began.
final class ScrubPace: Sendable {
    let bytesPerSecond: Int?
    private let started = ContinuousClock.now

    init(bytesPerSecond: Int?) {
        self.bytesPerSecond = bytesPerSecond
    }

    func wait(forTotal bytes: Int) async {
        guard let bytesPerSecond, bytesPerSecond > 0 else { return }
        let due = started + .seconds(Double(bytes) / Double(bytesPerSecond))
        if due > .now { try? await Task.sleep(until: due) }
    }
}
