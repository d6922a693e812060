import CCRC64

/// Owns the tables and folding constants of one polynomial (about 20 KiB).
@usableFromInline
final class CRC64Tables: Sendable {
    // Written once in `init`, read-only afterwards.
    nonisolated(unsafe) let constants: UnsafeMutablePointer<ccrc64_constants>
    /// The variant's name, kept here so that the `CRC64` value of a built-in variant holds no `String`.
    let name: String

    init(name: String, normalPolynomial: UInt64) {
        self.name = name
        constants = .allocate(capacity: 1)
        ccrc64_constants_init(constants, normalPolynomial.bitReversed)
    }

    deinit {
        constants.deallocate()
    }
}

extension CRC64 {
    /// `value * x^(8 * byteCount) mod P`. Tests compare the carry-less and the portable paths.
    func shift(_ value: UInt64, byteCount: UInt64, carryless: Bool = CRC64Kernel.hasCarrylessMultiply) -> UInt64 {
        ccrc64_shift(constants, value, byteCount, carryless ? 1 : 0)
    }
}

extension UInt64 {
    var bitReversed: UInt64 {
        var v = self
        var r: UInt64 = 0
        for _ in 0..<64 {
            r = (r << 1) | (v & 1)
            v >>= 1
        }
        return r
    }
}
