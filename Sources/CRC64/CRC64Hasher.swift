import CCRC64

/// A streaming CRC-64: feed bytes in any number of pieces, read the checksum at any time.
///
/// It can resume from a checksum stored earlier (the `init_crc` convention of the OSS SDKs):
/// `CRC64Hasher(.xz, resumingFrom: crc(A))` updated with `B` yields `crc(A‖B)`, which is how an
/// append is verified against the whole-object CRC the server returns.
public struct CRC64Hasher: Sendable {
    /// The variant being computed.
    public let variant: CRC64
    /// The kernel that processes the bytes.
    public let kernel: CRC64Kernel
    /// Bytes processed since this hasher was created (not counting what a resumed checksum covers).
    public private(set) var byteCount: UInt64 = 0

    private var register: UInt64
    // Resolved once here, so an update is one indirect call into the kernel.
    private let function: ccrc64_kernel_fn

    /// A hasher for `variant`, starting empty or from `checksum`, the finished CRC of the bytes
    /// that came before.
    ///
    /// - Parameter kernel: defaults to the fastest this CPU supports; tests and benchmarks pick
    ///   others. It must be one of ``CRC64Kernel/supported``.
    public init(_ variant: CRC64 = .xz, resumingFrom checksum: UInt64? = nil, kernel: CRC64Kernel = .best) {
        precondition(kernel == .best || kernel.isSupported, "CRC-64 kernel \(kernel) is not supported on this CPU")
        self.variant = variant
        self.kernel = kernel
        self.function = kernel == .best ? ccrc64_checksum : kernel.function
        self.register = checksum.map { $0 ^ variant.finalXor } ?? variant.initialValue
    }

    /// The CRC of everything so far. Reading it does not end the stream.
    public var checksum: UInt64 { register ^ variant.finalXor }

    /// Adds `bytes` to the stream.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        register = function(variant.constants, register, base, bytes.count)
        byteCount &+= UInt64(bytes.count)
    }

    /// Adds a byte sequence to the stream; contiguous storage is read in place.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        guard done == nil else { return }
        var chunk = [UInt8]()
        chunk.reserveCapacity(4096)
        for byte in bytes {
            chunk.append(byte)
            if chunk.count == 4096 {
                chunk.withUnsafeBytes { update($0) }
                chunk.removeAll(keepingCapacity: true)
            }
        }
        chunk.withUnsafeBytes { update($0) }
    }
}
