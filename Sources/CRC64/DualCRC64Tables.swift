import CCRC64

/// Owns the constants of one pair of polynomials for the dual kernels (about 450 bytes), and the
/// two variants whose constants they point to.
final class DualCRC64Tables: Sendable {
    // Written once in `init`, read-only afterwards.
    nonisolated(unsafe) let constants: UnsafeMutablePointer<ccrc64_dual_constants>
    /// Kept so that the single constants `constants` points to outlive it.
    let variants: (CRC64, CRC64)

    init(_ first: CRC64, _ second: CRC64) {
        variants = (first, second)
        constants = .allocate(capacity: 1)
        ccrc64_dual_constants_init(constants, first.constants, second.constants)
    }

    deinit {
        constants.deallocate()
    }

    /// CRC-64/XZ with CRC-64/NVME, the pair the server computes for every byte: built once.
    static let xzNVME = DualCRC64Tables(.xz, .nvme)

    /// The tables for `first` and `second`: the shared ones for CRC-64/XZ with CRC-64/NVME
    /// (the constants depend on the polynomials only), new ones for any other pair.
    static func tables(_ first: CRC64, _ second: CRC64) -> DualCRC64Tables {
        first.polynomial == CRC64.xz.polynomial && second.polynomial == CRC64.nvme.polynomial
            ? xzNVME : DualCRC64Tables(first, second)
    }
}
