import CRC64
import NIOCore

/// The bytes of a range of an object, streamed across its segments in bounded chunks.
///
/// Memory is one chunk (plus at most one block at each end) whatever the object size. Files are
/// opened one segment at a time and reads run off the cooperative pool. See
/// ``OpenedObject/body(range:verify:)`` for the verification rules.
struct ObjectBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let record: ObjectRecord
    let range: Range<Int>
    let blobs: any BlobStore
    /// Keeps the blobs from being deleted while this body exists.
    let lease: BlobLease
    let chunkSize: Int
    let verify: Bool
    /// Counts the bodies that met damaged bytes.
    let damage: DamageCounter

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }

    /// The part of one segment that the range covers.
    struct Slice {
        var segment: BlobSegment
        var offset: Int
        var length: Int
        var end: Int { offset + length }
    }

    var slices: [Slice] {
        var slices: [Slice] = []
        var start = 0
        for segment in record.segments {
            let lower = Swift.max(range.lowerBound, start)
            let upper = Swift.min(range.upperBound, start + segment.size)
            if lower < upper { slices.append(Slice(segment: segment, offset: lower - start, length: upper - lower)) }
            start += segment.size
        }
        return slices
    }

    /// The largest block read into memory to be verified before any of it is returned. Blobs
    /// written before block CRCs existed are one block of any size; larger ones are verified by
    /// a full pass over the blob before their first byte is returned.
    var maximumBufferedBlock: Int { Swift.max(chunkSize, 1 << 20) }

    struct AsyncIterator: AsyncIteratorProtocol {
        private let body: ObjectBody
        private let slices: [Slice]
        private let checksWholeObject: Bool
        private var index = 0
        /// Bytes of the current slice already returned.
        private var position = 0
        private var file: BlobSource?
        /// Whether the current slice's segment (a single large block) was verified in full.
        private var segmentVerified = false
        private var objectCRC: UInt64 = 0
        private var finished = false

        init(body: ObjectBody) {
            self.body = body
            self.slices = body.slices
            self.checksWholeObject = body.verify && body.range == 0..<body.record.size
        }

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            do {
                guard index < slices.count else {
                    finished = true
                    try checkObject()
                    return nil
                }
                return try await readChunk()
            } catch {
                finished = true
                file = nil
                if case .corruptObject = error { body.damage.record() }
                throw error
            }
        }

        private mutating func readChunk() async throws(StorageError) -> ByteBuffer {
            let slice = slices[index]
            let blobs = body.blobs
            let file: BlobSource
            if let open = self.file {
                file = open
            } else {
                guard slice.segment.blocksAreConsistent else {
                    throw corrupt("the block checksums of blob \(slice.segment.blob) do not cover its \(slice.segment.size) bytes")
                }
                if let inline = slice.segment.inline {
                    file = .inline(inline)
                } else {
                    file = .blob(try await blobs.open(slice.segment.blob))
                }
                self.file = file
            }
            let chunk: ByteBuffer
            if !body.verify {
                chunk = try await read(file, slice, count: Swift.min(body.chunkSize, slice.length - position))
            } else if slice.segment.blockSize <= body.maximumBufferedBlock {
                chunk = try await readVerifiedBlocks(file, slice)
            } else {
                if !segmentVerified {
                    try await verifyWholeSegment(file, slice.segment)
                    segmentVerified = true
                }
                chunk = try await read(file, slice, count: Swift.min(body.chunkSize, slice.length - position))
            }
            position += chunk.readableBytes
            if position == slice.length {
                if checksWholeObject, slice.segment.blockSize > body.maximumBufferedBlock {
                    objectCRC = CRC64.xz.combine(objectCRC, slice.segment.crc64, lengthOfB: slice.segment.size)
                }
                self.file = nil
                index += 1
                position = 0
                segmentVerified = false
                if index == slices.count {
                    finished = true
                    try checkObject()
                }
            }
            return chunk
        }

        /// Reads whole blocks around the next part of `slice`, checks each against its recorded
        /// CRC-64, and returns only then the part of them the slice wants: at most about a chunk,
        /// ending on a block boundary (or the slice's end), so that a whole-object read reads
        /// every block exactly once.
        private mutating func readVerifiedBlocks(_ file: BlobSource, _ slice: Slice) async throws(StorageError) -> ByteBuffer {
            let segment = slice.segment
            let blockSize = segment.blockSize
            let start = slice.offset + position
            let firstBlock = start / blockSize
            let readStart = firstBlock * blockSize
            var end = start + body.chunkSize
            if end >= slice.end {
                end = slice.end
            } else {
                end = Swift.max(end / blockSize * blockSize, Swift.min(readStart + blockSize, segment.size))
                end = Swift.min(end, slice.end)
            }
            let readEnd = Swift.min((end + blockSize - 1) / blockSize * blockSize, segment.size)
            let buffer = try await file.read(count: readEnd - readStart, at: readStart)
            var crcs: [UInt64] = []
            buffer.withUnsafeReadableBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let length = Swift.min(blockSize, bytes.count - offset)
                    crcs.append(CRC64.xz.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])))
                    offset += length
                }
            }
            guard buffer.readableBytes == readEnd - readStart else {
                throw corrupt("blob \(segment.blob) is shorter than the \(segment.size) bytes recorded")
            }
            for (number, crc) in crcs.enumerated() {
                let block = firstBlock + number
                guard crc == segment.blockCRC(block) else {
                    throw corrupt(
                        "block \(block) (bytes \(block * blockSize)..<\(Swift.min((block + 1) * blockSize, segment.size))) of blob \(segment.blob) has CRC-64 \(crc), recorded \(segment.blockCRC(block))")
                }
                if checksWholeObject {
                    let length = Swift.min(blockSize, segment.size - block * blockSize)
                    objectCRC = CRC64.xz.combine(objectCRC, crc, lengthOfB: length)
                }
            }
            return buffer.getSlice(at: buffer.readerIndex + start - readStart, length: end - start)!
        }

        /// Hashes all of a segment recorded as one large block and compares it with its CRC-64.
        private func verifyWholeSegment(_ file: BlobSource, _ segment: BlobSegment) async throws(StorageError) {
            let chunkSize = body.chunkSize
            var hasher = CRC64Hasher(.xz)
            var read = 0
            while read < segment.size {
                let chunk = try await file.read(count: Swift.min(chunkSize, segment.size - read), at: read)
                guard chunk.readableBytes > 0 else { break }
                chunk.withUnsafeReadableBytes { hasher.update($0) }
                read += chunk.readableBytes
            }
            let crc = hasher.checksum
            guard read == segment.size else {
                throw corrupt("blob \(segment.blob) is shorter than the \(segment.size) bytes recorded")
            }
            guard crc == segment.crc64 else {
                throw corrupt("blob \(segment.blob) has CRC-64 \(crc), recorded \(segment.crc64)")
            }
        }

        private func read(_ file: BlobSource, _ slice: Slice, count: Int) async throws(StorageError) -> ByteBuffer {
            let offset = slice.offset + position
            let chunk = try await file.read(count: count, at: offset)
            guard chunk.readableBytes == count else {
                throw corrupt("blob \(slice.segment.blob) is shorter than the \(slice.segment.size) bytes recorded")
            }
            return chunk
        }

        private func checkObject() throws(StorageError) {
            guard checksWholeObject, objectCRC != body.record.crc64 else { return }
            throw corrupt("content has CRC-64 \(objectCRC), recorded \(body.record.crc64)")
        }

        private func corrupt(_ reason: String) -> StorageError {
            .corruptObject(bucket: body.record.bucket, key: body.record.key, reason: reason)
        }
    }
}

/// Where a segment's bytes are read from: its blob file, or the bytes kept in its metadata row.
/// Both are read and verified alike.
enum BlobSource: Sendable {
    case blob(any BlobReader)
    case inline(ByteBuffer)

    /// Up to `count` bytes at `offset`: fewer only at the end. A blob is read where reading may
    /// block (the blob store decides); bytes in memory at once.
    func read(count: Int, at offset: Int) async throws(StorageError) -> ByteBuffer {
        switch self {
        case .blob(let reader):
            return try await reader.read(count: count, at: offset)
        case .inline(let bytes):
            let start = Swift.min(offset, bytes.readableBytes)
            return bytes.getSlice(at: bytes.readerIndex + start, length: Swift.min(count, bytes.readableBytes - start))!
        }
    }
}
