import NIOCore

/// A byte range of a file as an async sequence of chunks: a request body that can be sent again
/// on a retry (each iteration opens the file anew) while holding only one chunk in memory.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let path: String
    let offset: Int64
    let length: Int64
    var chunkSize = 1 << 20

    func makeAsyncIterator() -> Iterator {
        Iterator(chunks: self)
    }

    /// Holds the descriptor; a class so that an abandoned iteration still closes it.
    final class Iterator: AsyncIteratorProtocol {
        let chunks: FileChunks
        var file: LocalFile?
        var position: Int64 = 0

        init(chunks: FileChunks) {
            self.chunks = chunks
        }

        deinit {
            file?.close()
        }

        func next() async throws -> ByteBuffer? {
            guard position < chunks.length else {
                file?.close()
                file = nil
                return nil
            }
            if file == nil { file = try await LocalFile.openForReading(chunks.path) }
            let count = Int(Swift.min(Int64(chunks.chunkSize), chunks.length - position))
            let buffer = try await file!.read(at: chunks.offset + position, count: count)
            position += Int64(count)
            return buffer
        }
    }
}
