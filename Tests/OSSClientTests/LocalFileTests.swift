import Foundation
import NIOCore
import Testing

@testable import OSSClient

@Suite("Positional writes of many buffers")
struct LocalFileTests {
    @Test("pwritev of more buffers than one call takes, of odd sizes, at an offset, lands byte for byte")
    func gatheredWrites() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("localfile-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try await LocalFile.openForWriting(path, truncate: true)
        defer { file.close() }
        // 2500 buffers (more than the 1024 vectors of one pwritev), 1 to 97 bytes each, some empty.
        var expected: [UInt8] = []
        var buffers: [ByteBuffer] = []
        for index in 0..<2500 {
            let bytes = TestBytes.random(count: index % 7 == 0 ? 0 : 1 + index % 97, seed: UInt64(index))
            expected += bytes
            // A slice, so buffers start inside shared storage, as network chunks do.
            var whole = ByteBuffer(bytes: [0xEE] + bytes)
            whole.moveReaderIndex(forwardBy: 1)
            buffers.append(whole)
        }
        try await file.write(buffers, at: 1000)
        try await file.sync()
        let written = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count == 1000 + expected.count)
        #expect(written.prefix(1000).allSatisfy { $0 == 0 })
        #expect(Array(written.dropFirst(1000)) == expected)
    }
}
