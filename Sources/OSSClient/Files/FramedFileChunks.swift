import NIOCore

/// A file range between two in-memory buffers, as one request body (a PostObject form around its
/// file): replayable like ``FileChunks``, holding one chunk of the file at a time.
struct FramedFileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let head: ByteBuffer
    let file: FileChunks
    let tail: ByteBuffer

    var length: Int64 { Int64(head.readableBytes) + file.length + Int64(tail.readableBytes) }

    func makeAsyncIterator() -> Iterator {
        Iterator(framed: self)
    }

    struct Iterator: AsyncIteratorProtocol {
        let framed: FramedFileChunks
        var stage = 0
        var file: FileChunks.Iterator?

        init(framed: FramedFileChunks) {
            self.framed = framed
        }

        mutating func next() async throws -> ByteBuffer? {
            while true {
                switch stage {
                case 0:
                    stage = 1
                    file = framed.file.makeAsyncIterator()
                    if framed.head.readableBytes > 0 { return framed.head }
                case 1:
                    if let chunk = try await file?.next() { return chunk }
                    file = nil
                    stage = 2
                case 2:
                    stage = 3
                    if framed.tail.readableBytes > 0 { return framed.tail }
                default:
                    return nil
                }
            }
        }
    }
}
