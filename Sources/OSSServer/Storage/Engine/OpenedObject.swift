/// An object opened for reading: its record, and its bytes held until this value (and every body
/// made from it) is gone.
struct OpenedObject: Sendable {
    /// The snapshot being served: headers, size, ETag and whole-object CRC come from here.
    let record: ObjectRecord
    /// The symlink that was read through to reach `record`, or `nil` for a direct read.
    let symlink: ObjectRecord?
    let lease: BlobLease
    let blobs: any BlobStore
    let chunkSize: Int
    let damage: DamageCounter
    /// False for a HEAD snapshot, whose record was read without its segments: it has no body.
    var hasSegments = true

    /// The bytes in `range` (the whole object when `nil`), as chunks of at most `chunkSize`.
    ///
    /// With `verify`, every segment read completely is checked against its CRC-64, and a
    /// whole-object read against the object's CRC-64, before the chunk that completes it is
    /// returned: a corrupt object makes the sequence throw `corruptObject` instead of ending, so
    /// the HTTP layer can abort the response rather than finish it cleanly with bad bytes.
    /// Throws `invalidArgument` if `range` is not within the object.
    func body(range: Range<Int>? = nil, verify: Bool = true) throws(StorageError) -> ObjectBody {
        precondition(hasSegments, "a HEAD snapshot (opened without reading bytes) has no body")
        let range = range ?? 0..<record.size
        guard range.lowerBound >= 0, range.upperBound <= record.size else {
            throw StorageError.invalidArgument(
                "byte range \(range.lowerBound)..<\(range.upperBound) is outside the object of \(record.size) bytes")
        }
        return ObjectBody(
            record: record, range: range, blobs: blobs, lease: lease, chunkSize: chunkSize, verify: verify,
            damage: damage)
    }
}
