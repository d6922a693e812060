import CRC64
import Foundation

/// The CRC-64/XZ of each fixed-size block of one blob, so that a read can verify exactly the
/// bytes it is about to send, whatever range it serves.
///
/// A whole-blob CRC can only be checked once every byte was read: a ranged GET would send
/// unverified bytes, a full GET would send a damaged block before noticing, and a ranged copy
/// would launder rot into a new blob with a fresh, matching CRC. Block CRCs close all three: a
/// reader reads the blocks its range touches, checks each, and only then lets any of its bytes go.
///
/// The last block may be shorter. The block CRCs combine into the blob's CRC, so computing them
/// costs the one pass that computed the blob's CRC anyway. A blob of at most one block stores
/// none: its CRC is its only block's.
struct BlockChecksums: Sendable, Hashable {
    /// Bytes per block (the last block may be shorter).
    let blockSize: Int
    /// One CRC-64/XZ per block, in order.
    let crcs: [UInt64]

    init(blockSize: Int, crcs: [UInt64]) {
        self.blockSize = blockSize
        self.crcs = crcs
    }

    /// The number of blocks a blob of `size` bytes has.
    static func blockCount(size: Int, blockSize: Int) -> Int {
        size == 0 ? 0 : (size + blockSize - 1) / blockSize
    }

    // MARK: Stored form

    /// The block size as a little-endian UInt32, then each CRC as a little-endian UInt64.
    var encoded: Data {
        var data = Data(capacity: 4 + 8 * crcs.count)
        withUnsafeBytes(of: UInt32(blockSize).littleEndian) { data.append(contentsOf: $0) }
        for crc in crcs { withUnsafeBytes(of: crc.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Reads ``encoded``; `nil` when the bytes cannot be one.
    init?(encoded data: Data) {
        guard data.count >= 4, (data.count - 4) % 8 == 0 else { return nil }
        let bytes = [UInt8](data)
        func integer(at offset: Int, width: Int) -> UInt64 {
            (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        let blockSize = Int(integer(at: 0, width: 4))
        guard blockSize > 0 else { return nil }
        self.blockSize = blockSize
        self.crcs = stride(from: 4, to: bytes.count, by: 8).map { integer(at: $0, width: 8) }
    }

    // MARK: Computing

    /// Hashes a stream of bytes block by block: the block CRCs and the whole stream's CRC,
    /// combined from them, and the stream's CRC-64/NVME (S3's), all in one pass over each byte
    /// (``DualCRC64Hasher``: the NVME register runs on across blocks, the XZ one restarts).
    struct Accumulator: Sendable {
        let blockSize: Int
        private(set) var crcs: [UInt64] = []
        /// CRC-64/XZ of every byte of the completed blocks.
        private var completedCRC: UInt64 = 0
        private var block = DualCRC64Hasher(.xz, .nvme)
        private var filled = 0

        init(blockSize: Int) {
            precondition(blockSize > 0, "a block holds at least one byte")
            self.blockSize = blockSize
        }

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            var rest = bytes
            while !rest.isEmpty {
                let take = Swift.min(blockSize - filled, rest.count)
                block.update(UnsafeRawBufferPointer(rebasing: rest[..<take]))
                filled += take
                rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                if filled == blockSize { closeBlock() }
            }
        }

        private mutating func closeBlock() {
            let crc = block.checksums.first
            crcs.append(crc)
            completedCRC = CRC64.xz.combine(completedCRC, crc, lengthOfB: filled)
            block = DualCRC64Hasher(.xz, .nvme, resumingFrom: (0, block.checksums.second))
            filled = 0
        }

        /// CRC-64/NVME of everything hashed so far.
        var nvme: UInt64 { block.checksums.second }

        /// The CRC-64 of everything hashed, and the block CRCs (`nil` for at most one block).
        mutating func finish() -> (crc64: UInt64, blocks: BlockChecksums?) {
            if filled > 0 { closeBlock() }
            return (completedCRC, crcs.count > 1 ? BlockChecksums(blockSize: blockSize, crcs: crcs) : nil)
        }
    }
}
