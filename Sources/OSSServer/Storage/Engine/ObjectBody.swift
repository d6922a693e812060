import CRC64
import NIOCore

/// The bytes of a range of an object, streamed across its segments in bounded chunks.
///
/// Memory is one chunk at a time whatever the object size. Files are opened one segment at a time
/// and reads run off the cooperative pool. See ``OpenedObject/body(range:verify:)`` for the
/// verification rules.
struct ObjectBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let record: ObjectRecord
    let range: Range<Int>
    let blobs: BlobStore
    /// Keeps the blobs from being deleted while this body exists.
    let lease: BlobLease
    let chunkSize: Int
    let verify: Bool

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }

    /// The part of one segment that the range covers.
    struct Slice {
        var segment: BlobSegment
        var offset: Int
        var length: Int
        var isWholeSegment: Bool { offset == 0 && length == segment.size }
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

    struct AsyncIterator: AsyncIteratorProtocol {
        private let body: ObjectBody
        private let slices: [Slice]
        private let checksWholeObject: Bool
        private var index = 0
        private var position = 0
        private var file: BlobFile?
        private var sliceCRC: UInt64 = 0
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
                throw error
            }
        }

        private mutating func readChunk() async throws(StorageError) -> ByteBuffer {
            let slice = slices[index]
            let blobs = body.blobs
            let file: BlobFile
            if let open = self.file {
                file = open
            } else {
                file = try await BlockingIO.run { () throws(StorageError) in try blobs.openBlob(slice.segment.blob) }
                self.file = file
            }
            let count = Swift.min(body.chunkSize, slice.length - position)
            let offset = slice.offset + position
            let hashing = body.verify && slice.isWholeSegment
            let previousCRC = sliceCRC
            let (chunk, crc) = try await BlockingIO.run { () throws(StorageError) in
                let chunk = try file.read(count: count, at: offset)
                guard hashing else { return (chunk, UInt64(0)) }
                var hasher = CRC64Hasher(.xz, resumingFrom: previousCRC)
                chunk.withUnsafeReadableBytes { hasher.update($0) }
                return (chunk, hasher.checksum)
            }
            guard chunk.readableBytes == count else {
                throw corrupt("blob \(slice.segment.blob) is shorter than the \(slice.segment.size) bytes recorded")
            }
            position += count
            sliceCRC = crc
            if position == slice.length {
                if hashing {
                    guard crc == slice.segment.crc64 else {
                        throw corrupt("blob \(slice.segment.blob) has CRC-64 \(crc), recorded \(slice.segment.crc64)")
                    }
                    objectCRC = CRC64.xz.combine(objectCRC, crc, lengthOfB: slice.length)
                }
                self.file = nil
                index += 1
                position = 0
                sliceCRC = 0
                if index == slices.count {
                    finished = true
                    try checkObject()
                }
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
