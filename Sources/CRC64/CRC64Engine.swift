import CCRC64

/// The immutable tables and folding constants of one polynomial, shared by every copy of a
/// ``CRC64`` value.
final class CRC64Engine: @unchecked Sendable {
    // Written once in `init`, read-only afterwards: safe to share across threads.
    let constants: UnsafeMutablePointer<ccrc64_constants>

    init(normalPolynomial: UInt64) {
        constants = .allocate(capacity: 1)
        ccrc64_constants_init(constants, normalPolynomial.bitReversed)
    }

    deinit {
        constants.deallocate()
    }

    @inline(__always)
    func update(_ register: UInt64, _ bytes: UnsafeRawBufferPointer, kernel: CRC64Kernel) -> UInt64 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return register }
        return kernel.function(constants, register, base, bytes.count)
    }

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
