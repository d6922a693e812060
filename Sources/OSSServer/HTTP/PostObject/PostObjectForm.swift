import NIOCore
import OSSProtocol

/// A PostObject form read from the request body as it arrives: first the text fields (each at
/// most ``maximumFieldBytes``), then the `file` part as an `AsyncSequence` of `ByteBuffer` that
/// storage consumes directly, so the file is never held in memory.
///
/// Not `Sendable`: one request's task owns it, from the fields to the end of the file.
final class PostObjectForm<Body: AsyncSequence> where Body.Element == ByteBuffer {
    /// Most bytes of one text field, as OSS allows.
    static var maximumFieldBytes: Int { 4 << 10 }
    /// Most text fields one form may have; with ``maximumFieldBytes`` this bounds what a form can
    /// make the server hold before its file.
    static var maximumFields: Int { 100 }

    private var iterator: Body.AsyncIterator
    private var parser: MultipartFormParser
    private var inputEnded = false

    init(body: Body, boundary: String) {
        iterator = body.makeAsyncIterator()
        parser = MultipartFormParser(boundary: boundary)
    }

    /// The next parser event, pulling input as needed; `nil` once the input is exhausted after
    /// the closing delimiter.
    func nextEvent() async throws -> MultipartFormParser.Event? {
        while true {
            if let event = try parser.next() { return event }
            if inputEnded {
                try parser.finish()
                return nil
            }
            if let chunk = try await iterator.next() {
                parser.append(chunk)
            } else {
                inputEnded = true
            }
        }
    }

    /// Reads the text fields up to the `file` part.
    /// - Returns: the fields in form order and the head of the file part.
    /// - Throws: `FieldItemTooLong`, `MalformedPOSTRequest`, or `InvalidArgument` when the form
    ///   has no `file` part.
    func readFields() async throws -> (fields: OSSFormFields, file: MultipartPartHead) {
        var fields = OSSFormFields()
        var current: (head: MultipartPartHead, value: ByteBuffer)?
        while let event = try await nextEvent() {
            switch event {
            case .part(let head):
                if head.name.lowercased() == "file" { return (fields, head) }
                guard fields.fields.count < Self.maximumFields else {
                    throw OSSError.malformedPOSTRequest("the form has more than \(Self.maximumFields) fields.")
                }
                current = (head, ByteBuffer())
            case .body(let bytes):
                guard var field = current else { continue }
                guard field.value.readableBytes + bytes.readableBytes <= Self.maximumFieldBytes else {
                    throw OSSError.fieldItemTooLong(field: field.head.name, limit: Self.maximumFieldBytes)
                }
                field.value.writeImmutableBuffer(bytes)
                current = field
            case .partEnd:
                guard let field = current else { continue }
                guard let text = String(validating: field.value.readableBytesView, as: UTF8.self) else {
                    throw OSSError.malformedPOSTRequest("the field \(field.head.name) is not UTF-8.")
                }
                fields.append(name: field.head.name, value: text)
                current = nil
            case .end:
                break
            }
        }
        throw OSSError.invalidArgument("A PostObject form needs a file field, as its last field.", name: "file")
    }

    /// The file part's bytes, for storage to consume once ``readFields()`` returned.
    ///
    /// - Parameter sizeRange: the policy's `content-length-range`; the sequence throws 403
    ///   `AccessDenied` as soon as the file grows past it, or at its end when it is too small, so
    ///   that storage keeps nothing.
    func file(sizeRange: ClosedRange<Int64>?) -> FileBytes {
        FileBytes(form: self, sizeRange: sizeRange)
    }

    struct FileBytes: AsyncSequence {
        typealias Element = ByteBuffer
        let form: PostObjectForm
        let sizeRange: ClosedRange<Int64>?

        func makeAsyncIterator() -> Iterator {
            Iterator(form: form, sizeRange: sizeRange)
        }

        struct Iterator: AsyncIteratorProtocol {
            let form: PostObjectForm
            let sizeRange: ClosedRange<Int64>?
            var received: Int64 = 0
            var finished = false

            mutating func next() async throws -> ByteBuffer? {
                guard !finished else { return nil }
                while let event = try await form.nextEvent() {
                    switch event {
                    case .body(let bytes):
                        received += Int64(bytes.readableBytes)
                        if let sizeRange, received > sizeRange.upperBound { throw Self.outOfRange(sizeRange) }
                        return bytes
                    case .partEnd:
                        // The file must be the last field: only the closing delimiter may follow.
                        guard case .end? = try await form.nextEvent() else {
                            throw OSSError.malformedPOSTRequest("the file must be the last field of the form.")
                        }
                        while try await form.nextEvent() != nil {}
                        if let sizeRange, !sizeRange.contains(received) { throw Self.outOfRange(sizeRange) }
                        finished = true
                        return nil
                    case .part, .end:
                        throw OSSError.malformedPOSTRequest("the file part is not framed correctly.")
                    }
                }
                throw OSSError.malformedPOSTRequest("the body ended inside the file part.")
            }

            static func outOfRange(_ range: ClosedRange<Int64>) -> OSSError {
                .accessDenied(
                    "Invalid according to Policy: the file size is outside content-length-range "
                        + "[\(range.lowerBound), \(range.upperBound)].")
            }
        }
    }
}
