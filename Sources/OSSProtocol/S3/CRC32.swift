/// A streaming CRC-32, in the two variants S3 checks uploads with: `x-amz-checksum-crc32`
/// (IEEE 802.3, the CRC of zlib and gzip) and `x-amz-checksum-crc32c` (Castagnoli, the CRC of
/// iSCSI and ext4).
///
/// Pure Swift on purpose: `OSSProtocol` carries no C target, and slicing-by-16 tables (16 KiB
/// per variant) reach about 2 GB/s, more than a request body arrives at. Both variants are
/// reflected, with initial value and final XOR `0xFFFFFFFF`.
///
/// ```swift
/// var crc = CRC32(.castagnoli)
/// crc.update(Array("123456789".utf8))
/// crc.value  // 0xE3069283
/// ```
package struct CRC32: Sendable {
    /// Which CRC-32: they share everything but the polynomial.
    package enum Variant: Sendable, Hashable, CaseIterable {
        /// CRC-32/ISO-HDLC, polynomial 0x04C11DB7; S3's `CRC32`.
        case ieee
        /// CRC-32/ISCSI, polynomial 0x1EDC6F41; S3's `CRC32C`.
        case castagnoli

        /// The polynomial bit-reversed, as a reflected CRC shifts right.
        var reflectedPolynomial: UInt32 {
            switch self {
            case .ieee: 0xEDB8_8320
            case .castagnoli: 0x82F6_3B78
            }
        }

        /// The sixteen slicing tables, built on first use and shared afterwards.
        var tables: [UInt32] {
            switch self {
            case .ieee: CRC32.ieeeTables
            case .castagnoli: CRC32.castagnoliTables
            }
        }
    }

    /// The variant being computed.
    package let variant: Variant
    /// The register before the final XOR.
    private var register: UInt32

    /// An empty checksum, or one that continues from `checksum`, the finished CRC of the bytes that
    /// came before (how a resumed upload carries on without reading its first part again).
    package init(_ variant: Variant = .ieee, resumingFrom checksum: UInt32 = 0) {
        self.variant = variant
        self.register = ~checksum
    }

    /// The CRC of everything so far; reading it does not end the stream.
    package var value: UInt32 { ~register }

    /// Adds `bytes` to the stream.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let current = register
        register = variant.tables.withUnsafeBufferPointer { tables in
            Self.slicing(current, base, bytes.count, tables.baseAddress!)
        }
    }

    /// Adds a byte sequence to the stream; contiguous storage (`[UInt8]`, `Data`, `String.UTF8View`)
    /// is read in place, anything else a few KiB at a time.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        guard done == nil else { return }
        var block = [UInt8]()
        block.reserveCapacity(4096)
        for byte in bytes {
            block.append(byte)
            if block.count == 4096 {
                block.withUnsafeBytes { update($0) }
                block.removeAll(keepingCapacity: true)
            }
        }
        block.withUnsafeBytes { update($0) }
    }

    /// The CRC of `bytes` in one call.
    package static func checksum(_ bytes: some Sequence<UInt8>, variant: Variant = .ieee) -> UInt32 {
        var crc = CRC32(variant)
        crc.update(bytes)
        return crc.value
    }

    /// Sixteen bytes per step through sixteen tables (slicing-by-16), then byte by byte.
    private static func slicing(
        _ start: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ table: UnsafePointer<UInt32>
    ) -> UInt32 {
        var crc = start
        var pointer = base
        var remaining = count
        while remaining >= 16 {
            let first = pointer.loadUnaligned(as: UInt64.self).littleEndian
            let second = pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
            let a = UInt32(truncatingIfNeeded: first) ^ crc
            let b = UInt32(truncatingIfNeeded: first &>> 32)
            let c = UInt32(truncatingIfNeeded: second)
            let d = UInt32(truncatingIfNeeded: second &>> 32)
            crc =
                table[15 &* 256 &+ Int(a & 0xFF)] ^ table[14 &* 256 &+ Int(a &>> 8 & 0xFF)]
                ^ table[13 &* 256 &+ Int(a &>> 16 & 0xFF)] ^ table[12 &* 256 &+ Int(a &>> 24)]
                ^ table[11 &* 256 &+ Int(b & 0xFF)] ^ table[10 &* 256 &+ Int(b &>> 8 & 0xFF)]
                ^ table[9 &* 256 &+ Int(b &>> 16 & 0xFF)] ^ table[8 &* 256 &+ Int(b &>> 24)]
                ^ table[7 &* 256 &+ Int(c & 0xFF)] ^ table[6 &* 256 &+ Int(c &>> 8 & 0xFF)]
                ^ table[5 &* 256 &+ Int(c &>> 16 & 0xFF)] ^ table[4 &* 256 &+ Int(c &>> 24)]
                ^ table[3 &* 256 &+ Int(d & 0xFF)] ^ table[2 &* 256 &+ Int(d &>> 8 & 0xFF)]
                ^ table[256 &+ Int(d &>> 16 & 0xFF)] ^ table[Int(d &>> 24)]
            pointer += 16
            remaining &-= 16
        }
        while remaining > 0 {
            crc = table[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xFF)] ^ (crc &>> 8)
            pointer += 1
            remaining &-= 1
        }
        return crc
    }

    private static let ieeeTables = makeTables(Variant.ieee.reflectedPolynomial)
    private static let castagnoliTables = makeTables(Variant.castagnoli.reflectedPolynomial)

    /// Table `k` (entries `256k ..< 256(k+1)`) is the CRC of a byte followed by `k` zero bytes.
    private static func makeTables(_ polynomial: UInt32) -> [UInt32] {
        var tables = [UInt32](repeating: 0, count: 16 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1
            }
            tables[byte] = crc
        }
        for slice in 1..<16 {
            for byte in 0..<256 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }
}

extension CRC32 {
    /// The CRC of `A‖B` from the CRCs of `A` and `B` and the length of `B`, without the bytes.
    ///
    /// This is how a multipart upload's `FULL_OBJECT` CRC is built from its parts' CRCs, and how a
    /// stored object's CRC extends over an append. Costs O(log `lengthB`) multiplications in
    /// GF(2)[x] modulo the polynomial (zlib's `crc32_combine`), for any length.
    package static func combine(_ crcA: UInt32, _ crcB: UInt32, lengthB: Int, variant: Variant) -> UInt32 {
        precondition(lengthB >= 0, "a length cannot be negative")
        let polynomial = variant.reflectedPolynomial
        let powers = variant == .ieee ? ieeePowers : castagnoliPowers
        // x^(8·lengthB) mod P, one factor x^(2^k) per set bit of the bit length.
        var shift: UInt32 = 1 << 31
        var length = lengthB
        var k = 3
        while length != 0 {
            if length & 1 == 1 { shift = multiply(powers[k], shift, polynomial) }
            length >>= 1
            k += 1
        }
        return multiply(shift, crcA, polynomial) ^ crcB
    }

    /// `a·b mod P` with both in reflected form (bit 31 holds x^0): schoolbook multiplication,
    /// reducing `b·x` at each step.
    private static func multiply(_ a: UInt32, _ b: UInt32, _ polynomial: UInt32) -> UInt32 {
        var product: UInt32 = 0
        var multiple = b
        var term: UInt32 = 1 << 31
        while term != 0 {
            if a & term != 0 { product ^= multiple }
            multiple = multiple & 1 == 1 ? (multiple >> 1) ^ polynomial : multiple >> 1
            term >>= 1
        }
        return product
    }

    private static let ieeePowers = makePowers(Variant.ieee.reflectedPolynomial)
    private static let castagnoliPowers = makePowers(Variant.castagnoli.reflectedPolynomial)

    /// `x^(2^k) mod P` for every `k` a byte length in an `Int` can need (3 + 63 bits), by repeated
    /// squaring; no assumption that the powers cycle.
    private static func makePowers(_ polynomial: UInt32) -> [UInt32] {
        var powers: [UInt32] = [1 << 30]
        for _ in 1..<(3 + Int.bitWidth) {
            powers.append(multiply(powers[powers.count - 1], powers[powers.count - 1], polynomial))
        }
        return powers
    }
}
