import CCRC64

/// A reflected CRC-64 variant, and the entry point for computing it.
///
/// Every byte swift-oss moves is checked with CRC-64, so the variant is a value that carries its
/// precomputed tables and folding constants: declaring a new reflected CRC-64 costs one line, and
/// computing it is as fast as the built-in ones.
///
/// ```swift
/// let crc = CRC64.xz.checksum("123456789".utf8)       // 0x995DC9BBDF1939FA
/// let whole = CRC64.xz.combine(crcOfA, crcOfB, lengthOfB: UInt64(b.count))
/// ```
///
/// Equal when polynomial, initial value and final XOR are equal; the name is a label.
public struct CRC64: @unchecked Sendable, Hashable, CustomStringConvertible {
    // `@unchecked` Sendable: the tables behind `constants` are written once before the value
    // exists and only read afterwards.

    /// The generator polynomial in normal (MSB-first) form, without the x^64 term.
    public let polynomial: UInt64
    /// The register value before the first byte.
    public let initialValue: UInt64
    /// The value XORed into the register to produce the checksum.
    public let finalXor: UInt64

    /// The tables and folding constants. A plain pointer, not a reference, so that copying the
    /// value (as every `CRC64.xz.checksum` call does) costs no reference counting.
    @usableFromInline let constants: UnsafePointer<ccrc64_constants>
    /// Owns `constants` (and the name) for variants declared at run time; `nil` for the built-in
    /// ones, whose constants are compile-time data. The value then holds nothing to retain or
    /// release: not even a `String`, whose release the optimiser does not remove.
    @usableFromInline let tables: CRC64Tables?

    /// The catalogue name, for example `CRC-64/XZ`.
    public var name: String {
        if let tables { return tables.name }
        return constants == ccrc64_xz() ? "CRC-64/XZ" : "CRC-64/NVME"
    }

    /// Declares a reflected CRC-64 (input and output bit order reflected, as in every CRC-64 in use).
    ///
    /// Builds about 20 KiB of tables and constants once; keep the value and reuse it.
    public init(name: String, polynomial: UInt64, initialValue: UInt64 = .max, finalXor: UInt64 = .max) {
        let tables = CRC64Tables(name: name, normalPolynomial: polynomial)
        self.init(polynomial, initialValue, finalXor, constants: UnsafePointer(tables.constants), tables: tables)
    }

    @inlinable
    init(
        _ polynomial: UInt64, _ initialValue: UInt64, _ finalXor: UInt64,
        constants: UnsafePointer<ccrc64_constants>, tables: CRC64Tables?
    ) {
        self.polynomial = polynomial
        self.initialValue = initialValue
        self.finalXor = finalXor
        self.constants = constants
        self.tables = tables
    }

    /// CRC-64/XZ (ECMA-182 polynomial, reflected): the `x-oss-hash-crc64ecma` of Alibaba Cloud OSS.
    /// Check value of `"123456789"`: `0x995DC9BBDF1939FA`.
    ///
    /// A value made of constants, not a lazily initialised `static let`: `CRC64.xz.checksum(bytes)`
    /// costs the kernel call and nothing else, which matters for 16-byte inputs.
    @inlinable
    public static var xz: CRC64 { CRC64(0x42F0_E1EB_A9EA_3693, .max, .max, constants: ccrc64_xz(), tables: nil) }

    /// CRC-64/NVME (the NVMe and Amazon S3 CRC-64). Check value of `"123456789"`: `0xAE8B14860A799888`.
    @inlinable
    public static var nvme: CRC64 { CRC64(0xAD93_D235_94C9_3659, .max, .max, constants: ccrc64_nvme(), tables: nil) }

    /// The catalogue name.
    public var description: String { name }

    /// Same CRC: polynomial, initial value and final XOR (names are not compared).
    public static func == (lhs: CRC64, rhs: CRC64) -> Bool {
        lhs.polynomial == rhs.polynomial && lhs.initialValue == rhs.initialValue && lhs.finalXor == rhs.finalXor
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(polynomial)
        hasher.combine(initialValue)
        hasher.combine(finalXor)
    }

    /// The checksum of `bytes`, with the fastest kernel this CPU supports.
    ///
    /// Inlinable so that a 16-byte checksum costs the kernel call and nothing else.
    @inlinable
    public func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress else { return initialValue ^ finalXor }
        return ccrc64_checksum(constants, initialValue, base, bytes.count) ^ finalXor
    }

    /// The checksum of `bytes` computed by a chosen kernel, which must be one of
    /// ``CRC64Kernel/supported``: for tests and benchmarks that compare kernels.
    @inlinable
    public func checksum(_ bytes: UnsafeRawBufferPointer, kernel: CRC64Kernel) -> UInt64 {
        let function = kernel.function
        guard let base = bytes.baseAddress else { return initialValue ^ finalXor }
        return function(constants, initialValue, base, bytes.count) ^ finalXor
    }

    /// The checksum of a byte sequence: contiguous storage (`[UInt8]`, `String.UTF8View`, `Data`)
    /// is read in place, anything else in 4 KiB chunks.
    public func checksum(_ bytes: some Sequence<UInt8>) -> UInt64 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) {
            return crc
        }
        var hasher = CRC64Hasher(self)
        hasher.update(bytes)
        return hasher.checksum
    }

    /// The checksum of `A‖B` from the checksums of `A` and `B` and the length of `B`, in O(log n).
    ///
    /// This is what lets multipart uploads and appends be verified without re-reading data: the
    /// whole object's CRC is the parts' CRCs combined in order. At most 16 carry-less
    /// multiplications for any length up to 2^64 - 1.
    public func combine(_ checksumA: UInt64, _ checksumB: UInt64, lengthOfB: UInt64) -> UInt64 {
        shift(checksumA ^ finalXor ^ initialValue, byteCount: lengthOfB) ^ checksumB
    }

    /// `combine(_:_:lengthOfB:)` for lengths held in an `Int`.
    public func combine(_ checksumA: UInt64, _ checksumB: UInt64, lengthOfB: Int) -> UInt64 {
        precondition(lengthOfB >= 0, "a length cannot be negative")
        return combine(checksumA, checksumB, lengthOfB: UInt64(lengthOfB))
    }
}
