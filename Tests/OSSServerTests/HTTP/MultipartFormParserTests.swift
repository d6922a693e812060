import Foundation
import NIOCore
import OSSProtocol
import Testing

@testable import OSSServer

/// The streaming `multipart/form-data` parser of PostObject, fed in every chunking.
@Suite struct MultipartFormParserTests {
    static let boundary = "----WebKitFormBoundaryAbC123"

    /// Parses `bytes` delivered in chunks of `chunk` bytes; returns the fields, the file's bytes
    /// and the most bytes the parser ever held.
    static func parse(_ bytes: [UInt8], chunk: Int) throws -> (parts: [(MultipartPartHead, [UInt8])], held: Int) {
        var parser = MultipartFormParser(boundary: boundary)
        var parts: [(MultipartPartHead, [UInt8])] = []
        var held = 0
        var ended = false
        func drain() throws {
            while let event = try parser.next() {
                switch event {
                case .part(let head): parts.append((head, []))
                case .body(let body):
                    #expect(body.readableBytes > 0)
                    parts[parts.count - 1].1 += body.readableBytesView
                case .partEnd: continue
                case .end: ended = true
                }
            }
            held = max(held, parser.bufferedBytes)
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            parser.append(ByteBuffer(bytes: bytes[offset..<end]))
            try drain()
            offset = end
        }
        try parser.finish()
        #expect(ended)
        return (parts, held)
    }

    static func form(preamble: String = "", file: [UInt8], epilogue: String = "\r\n") -> [UInt8] {
        var out = Array(preamble.utf8)
        out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuser/${filename}\r\n".utf8)
        out += Array("--\(boundary)  \t\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n".utf8)
        out += Array("--\(boundary)\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a \\\"q\\\"; b.txt\"\r\nContent-Type: text/plain\r\n\r\n".utf8)
        out += file
        out += Array("\r\n--\(boundary)--".utf8) + Array(epilogue.utf8)
        return out
    }

    @Test(arguments: [1, 2, 3, 7, 40, 41, 42, 1000, 1 << 20])
    func everyChunkingGivesTheSameParts(chunk: Int) throws {
        // A file full of near-delimiters: CR, LF, dashes and most of the boundary.
        var file = [UInt8]()
        for index in 0..<3000 {
            file += Array("\r\n--\(Self.boundary.dropLast(index % 5 + 1))x".utf8) + [UInt8(truncatingIfNeeded: index)]
        }
        let (parts, _) = try Self.parse(Self.form(preamble: "preamble\r\n", file: file), chunk: chunk)
        #expect(parts.map(\.0.name) == ["key", "empty", "file"])
        #expect(parts[0].1 == Array("user/${filename}".utf8))
        #expect(parts[1].1.isEmpty)
        #expect(parts[2].0.filename == "a \"q\"; b.txt")
        #expect(parts[2].0.contentType == "text/plain")
        #expect(parts[2].1 == file)
    }

    @Test func aLargeFileStreamsThroughWithoutBeingHeld() throws {
        let file = (0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let chunk = 64 << 10
        let (parts, held) = try Self.parse(Self.form(file: file), chunk: chunk)
        #expect(parts.last?.1 == file)
        #expect(held < chunk + 128, "held \(held) bytes for an 8 MiB file")
    }

    @Test func emptyFileAndEmptyForm() throws {
        #expect(try Self.parse(Self.form(file: []), chunk: 5).parts.last?.1 == [])
        let empty = Array("--\(Self.boundary)--\r\n".utf8)
        #expect(try Self.parse(empty, chunk: 3).parts.isEmpty)
    }

    @Test(arguments: [
        ("no delimiter", "just some bytes"),
        ("unterminated", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"),
        ("no closing", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--B\r\n"),
        ("garbage after delimiter", "--Bxyz\r\n"),
        ("no disposition", "--B\r\nContent-Type: text/plain\r\n\r\nv\r\n--B--"),
        ("not form-data", "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--B--"),
        ("no name", "--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--"),
        ("header without colon", "--B\r\nContent-Disposition form-data\r\n\r\nv\r\n--B--"),
    ])
    func malformedForms(what: String, text: String) {
        let error = #expect(throws: OSSError.self, "\(what)") {
            var parser = MultipartFormParser(boundary: "B")
            parser.append(ByteBuffer(string: text))
            while try parser.next() != nil {}
            try parser.finish()
        }
        #expect(error?.code == "MalformedPOSTRequest", "\(what)")
    }

    @Test func oversizedHeadersAndPaddingAreRefused() {
        var headers = MultipartFormParser(boundary: "B")
        headers.append(ByteBuffer(string: "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Long: " + String(repeating: "x", count: 9000)))
        #expect(throws: OSSError.self) { while try headers.next() != nil {} }
        var preamble = MultipartFormParser(boundary: "B")
        preamble.append(ByteBuffer(repeating: 0x61, count: 70_000))
        #expect(throws: OSSError.self) { while try preamble.next() != nil {} }
    }

    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "abc"),
        ("multipart/form-data; boundary=\"a b;c\"", "a b;c"),
        ("Multipart/Form-Data;Boundary=x", "x"),
    ])
    func boundaries(contentType: String, boundary: String) throws {
        #expect(try MultipartPartHead.boundary(contentType: contentType) == boundary)
    }

    @Test(arguments: [nil, "text/plain", "multipart/form-data", "multipart/form-data; boundary=", "multipart/mixed; boundary=a"])
    func badContentTypes(contentType: String?) {
        let error = #expect(throws: OSSError.self) { try MultipartPartHead.boundary(contentType: contentType) }
        #expect(error?.code == "MalformedPOSTRequest")
    }
}
