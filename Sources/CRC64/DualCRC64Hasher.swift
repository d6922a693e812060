import CCRC64

/// Two streaming CRC-64s of the same bytes, computed in one pass over each chunk.
///
/// The server keeps two CRCs of every byte it stores: CRC-64/XZ, which OSS clients check, and
/// CRC-64/NVME, S3's full-object checksum. Two ``CRC64Hasher``s read each chunk twice, and their
/// carry-less multiplies, which bound the speed of every vector kernel, add up. This hasher folds
/// the bytes once modulo the product of the two polynomials, where a fold takes three multiplies
/// instead of the four of two separate CRCs, and reduces the result modulo each polynomial at the
/// end (see ``isFused``). The checksums are exactly those of two ``CRC64Hasher``s fed the same bytes.
///
/// ```swift
/// var hasher = DualCRC64Hasher()          // CRC-64/XZ and CRC-64/NVME
/// hasher.update(chunk)                     // as many times as there are chunks
/// let (xz, nvme) = hasher.checksums
/// ```
public struct DualCRC64Hasher: Sendable {
    /// The variant behind the first checksum.
    public let first: CRC64
    /// The variant behind the second checksum.
    public let second: CRC64
    /// The kernel that processes the bytes.
    public let kernel: CRC64Kernel
    /// Bytes processed since this hasher was created (not counting what resumed checksums cover).
    public private(set) var byteCount: UInt64 = 0

    private var registers: ccrc64_pair
    // Resolved once here, so an update is one indirect call (two without a dual kernel).
    private let dual: (kernel: ccrc64_dual_kernel_fn, tables: DualCRC64Tables)?
    private let single: ccrc64_kernel_fn

    /// A hasher for `first` and `second`, starting empty or from `checksums`, the finished CRCs
    /// (first, second) of the bytes that came before.
    ///
    /// For a pair other than CRC-64/XZ with CRC-64/NVME, it builds the pair's constants (a few
    /// microseconds): copy a fresh hasher rather than making one per chunk.
    ///
    /// - Parameter kernel: defaults to the fastest this CPU supports; tests and benchmarks pick
    ///   others. It must be one of ``CRC64Kernel/supported``.
    public init(
        _ first: CRC64 = .xz, _ second: CRC64 = .nvme, resumingFrom checksums: (UInt64, UInt64)? = nil,
        kernel: CRC64Kernel = .best
    ) {
        precondition(kernel == .best || kernel.isSupported, "CRC-64 kernel \(kernel) is not supported on this CPU")
        self.first = first
        self.second = second
        self.kernel = kernel
        self.dual = ccrc64_dual_kernel(kernel.id).map { ($0, DualCRC64Tables.tables(first, second)) }
        self.single = kernel == .best ? ccrc64_checksum : kernel.function
        self.registers = ccrc64_pair(
            first: checksums.map { $0.0 ^ first.finalXor } ?? first.initialValue,
            second: checksums.map { $0.1 ^ second.finalXor } ?? second.initialValue)
    }

    /// Whether ``kernel`` has a dual form, which reads the bytes once for both CRCs (on x86_64,
    /// for updates of 2 KiB and more; shorter ones run the kernel twice, which is faster there).
    /// When `false` (arm64, the portable kernel), every update runs the kernel twice: the same
    /// results, at the cost of two hashers.
    public var isFused: Bool { dual != nil }

    /// The CRCs of everything so far, in the order of ``first`` and ``second``. Reading them does
    /// not end the stream.
    public var checksums: (first: UInt64, second: UInt64) {
        (registers.first ^ first.finalXor, registers.second ^ second.finalXor)
    }

    /// Adds `bytes` to the stream.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if let dual {
            registers = dual.kernel(dual.tables.constants, registers, base, bytes.count)
        } else {
            registers.first = single(first.constants, registers.first, base, bytes.count)
            registers.second = single(second.constants, registers.second, base, bytes.count)
        }
        byteCount &+= UInt64(bytes.count)
    }

    /// Adds a byte sequence to the stream. Contiguous storage (`[UInt8]`, `String.UTF8View`) is
    /// read in place; anything else is copied into an array first.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        guard done == nil else { return }
        Array(bytes).withUnsafeBytes { update($0) }
    }
}
