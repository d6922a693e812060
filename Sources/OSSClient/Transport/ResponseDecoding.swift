import NIOCore
import OSSProtocol

extension ByteBuffer {
    /// Parses a response document with one of OSSProtocol's `init(parsing:)` readers, reporting a
    /// malformed document as ``OSSClientError/invalidResponse(_:)``.
    func decode<T>(_ operation: String, _ parse: ([UInt8]) throws(OSSError) -> T) throws(OSSClientError) -> T {
        do {
            return try parse(Array(buffer: self))
        } catch {
            throw .invalidResponse("\(operation): \(error.message)")
        }
    }
}

extension OSSClientError {
    /// The server's refusal of a body whose declared CRC-64 did not match (swift-oss's checked
    /// writes, §6.2) as a CRC mismatch: the same fault as one detected here, nothing stored.
    static func fromDeclaredCRCRefusal(_ error: any Error, operation: String, bucket: String, key: String) -> any Error {
        guard let crcs = (error as? OSSClientError)?.serviceError?.error.declaredCRCMismatch else {
            return error
        }
        return OSSClientError.crcMismatch(
            OSSCRCMismatch(operation: operation, bucket: bucket, key: key, serverCRC: crcs.computed, clientCRC: crcs.declared))
    }
}
