import CCRC64

/// An implementation of the CRC-64 inner loop for one instruction set.
///
/// The fastest supported kernel is chosen once per process (``best``) and used by default.
/// Tests and benchmarks run every ``supported`` kernel explicitly, so each one is checked on
/// the machine that has it.
public struct CRC64Kernel: Sendable, Hashable, CustomStringConvertible {
    @usableFromInline let id: ccrc64_kernel_id
    /// The kernel's function when this build has it and this CPU can run it, resolved when the
    /// value is made: a checksum with a chosen kernel then costs what the dispatched one costs.
    @usableFromInline let runnable: ccrc64_kernel_fn?

    /// Slice-by-8 tables: any CPU.
    public static let portable = CRC64Kernel(id: CCRC64_KERNEL_PORTABLE)
    /// x86_64 PCLMULQDQ, 128-bit folds.
    public static let pclmul = CRC64Kernel(id: CCRC64_KERNEL_PCLMUL)
    /// x86_64 VPCLMULQDQ with AVX2, 256-bit folds.
    public static let vpclmulAVX2 = CRC64Kernel(id: CCRC64_KERNEL_VPCLMUL_AVX2)
    /// x86_64 VPCLMULQDQ with AVX-512, 512-bit folds.
    public static let vpclmulAVX512 = CRC64Kernel(id: CCRC64_KERNEL_VPCLMUL_AVX512)
    /// arm64 PMULL, 128-bit folds.
    public static let pmull = CRC64Kernel(id: CCRC64_KERNEL_PMULL)
    /// arm64 PMULL with the SHA3 three-way XOR (EOR3).
    public static let pmullEOR3 = CRC64Kernel(id: CCRC64_KERNEL_PMULL_EOR3)

    /// Every kernel, slowest first.
    public static let all: [CRC64Kernel] = [.portable, .pclmul, .vpclmulAVX2, .vpclmulAVX512, .pmull, .pmullEOR3]

    /// The kernels this build contains and this CPU can run, slowest first.
    public static let supported: [CRC64Kernel] = all.filter(\.isSupported)

    /// `ccrc64_supported_kernels()`, read once: CPUID is slow, and traps in some virtual machines.
    @usableFromInline static let supportedMask = ccrc64_supported_kernels()

    /// The fastest kernel this CPU supports: the widest carry-less multiply available. It is
    /// what `CRC64.checksum(_:)` and ``CRC64Hasher`` run by default.
    public static let best = CRC64Kernel(id: ccrc64_best_kernel())

    static let hasCarrylessMultiply = supported.contains(.pclmul) || supported.contains(.pmull)

    /// The kernel's short name, as `oss crc64 --kernel` accepts it.
    public var name: String {
        switch id {
        case CCRC64_KERNEL_PCLMUL: "pclmulqdq"
        case CCRC64_KERNEL_VPCLMUL_AVX2: "vpclmulqdq-avx2"
        case CCRC64_KERNEL_VPCLMUL_AVX512: "vpclmulqdq-avx512"
        case CCRC64_KERNEL_PMULL: "pmull"
        case CCRC64_KERNEL_PMULL_EOR3: "pmull-eor3"
        default: "portable"
        }
    }

    /// The kernel called `name`, or `nil`.
    public init?(name: String) {
        guard let kernel = Self.all.first(where: { $0.name == name }) else { return nil }
        self = kernel
    }

    init(id: ccrc64_kernel_id) {
        self.id = id
        self.runnable = Self.supportedMask & (1 << id.rawValue) != 0 ? ccrc64_kernel(id) : nil
    }

    /// Whether this CPU (and this build) can run the kernel.
    @inlinable
    public var isSupported: Bool { runnable != nil }

    /// Same kernel.
    public static func == (lhs: CRC64Kernel, rhs: CRC64Kernel) -> Bool { lhs.id == rhs.id }

    /// Hashes the kernel's identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(id.rawValue) }

    /// The kernel's short name.
    public var description: String { name }

    /// The function, for a kernel this CPU supports; traps otherwise.
    @inlinable var function: ccrc64_kernel_fn {
        guard let runnable else { unsupported() }
        return runnable
    }

    @usableFromInline func unsupported() -> Never {
        preconditionFailure("CRC-64 kernel \(self) is not supported on this CPU")
    }
}
