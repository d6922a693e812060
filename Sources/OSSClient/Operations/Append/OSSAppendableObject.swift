/// An Appendable object being written by one writer: keeps the position and the whole-object
/// CRC between appends, so that each append is CRC-declared without a HEAD.
///
/// A value type: copy it and each copy tracks its own position. A writer that loses track (for
/// example after an append whose answer was lost) can ``resume(after:)`` from the server's
/// `PositionNotEqualToLength` answer instead of re-reading the object.
public struct OSSAppendableObject: Sendable {
    /// The client that sends the appends.
    public let client: OSSClient
    /// The bucket.
    public let bucket: String
    /// The object key.
    public let key: String
    /// Where the next append goes: the object's length as this writer knows it.
    public private(set) var position: Int64
    /// The whole object's CRC-64 at ``position``; `nil` before the first append.
    public private(set) var crc64: UInt64?

    /// Starts tracking an object: a new one at position 0, or an existing one at its length and CRC.
    public init(client: OSSClient, bucket: String, key: String, position: Int64 = 0, crc64: UInt64? = nil) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.position = position
        self.crc64 = crc64
    }

    /// Appends `body` at ``position`` and advances ``position`` and ``crc64`` on success; on
    /// failure both are unchanged.
    /// - Throws: what ``OSSClient/appendObject(_:)`` throws.
    @discardableResult
    public mutating func append(_ body: OSSUploadBody, options: OSSObjectWriteOptions = .init()) async throws
        -> OSSAppendObjectResult
    {
        let result = try await client.appendObject(
            OSSAppendObjectRequest(
                bucket: bucket, key: key, position: position, previousCRC64: crc64, body: body, options: options))
        position = result.nextPosition
        crc64 = result.crc64
        return result
    }

    /// Takes the server's position and CRC from a `PositionNotEqualToLength` error, after
    /// another writer appended or an earlier append's answer was lost.
    /// - Returns: `false`, changing nothing, when the error carries no position and CRC.
    public mutating func resume(after error: OSSServiceError) -> Bool {
        guard error.code == "PositionNotEqualToLength", let next = error.nextAppendPosition,
            let crc = error.nextAppendCRC64
        else { return false }
        position = next
        crc64 = crc
        return true
    }
}
