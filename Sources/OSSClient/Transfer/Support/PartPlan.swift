/// How an object of a known size is cut into parts or ranges.
struct PartPlan: Sendable, Hashable {
    /// One part: its number (1-based), first byte and length.
    struct Part: Sendable, Hashable {
        var number: Int
        var offset: Int64
        var size: Int64
    }

    /// The smallest part OSS accepts except for the last one.
    static let minimumPartSize: Int64 = 100 << 10
    static let maximumParts: Int64 = 10_000

    let size: Int64
    let partSize: Int64

    /// A plan with the requested part size, raised when the object would need more than
    /// 10000 parts (and to OSS's 100 KiB minimum), rounded up to whole MiB when raised.
    init(size: Int64, preferredPartSize: Int64) {
        self.size = size
        var partSize = max(preferredPartSize, Self.minimumPartSize)
        let needed = (size + Self.maximumParts - 1) / Self.maximumParts
        if needed > partSize {
            let mebibyte: Int64 = 1 << 20
            partSize = (needed + mebibyte - 1) / mebibyte * mebibyte
        }
        self.partSize = partSize
    }

    /// A plan with exactly this part size (a checkpoint's).
    init(size: Int64, exactPartSize: Int64) {
        self.size = size
        partSize = exactPartSize
    }

    var parts: [Part] {
        guard size > 0 else { return [Part(number: 1, offset: 0, size: 0)] }
        return stride(from: Int64(0), to: size, by: Int(partSize)).enumerated().map { index, offset in
            Part(number: index + 1, offset: offset, size: min(partSize, size - offset))
        }
    }
}
