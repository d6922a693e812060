// Independent references for the CRC64 tests. Nothing here is shared with the library: the
// CRC is computed one bit at a time, and combine with 64x64 GF(2) matrices (zlib's method).

/// The reflected polynomials of the catalogue entries, written out here rather than taken from
/// the library.
enum Catalogue {
    static let xzReflected: UInt64 = 0xC96C_5795_D787_0F42
    static let nvmeReflected: UInt64 = 0x9A6C_9329_AC4B_C9B5
}

/// A bit-at-a-time CRC-64 register (init and xorout all ones).
struct BitwiseCRC {
    let reflectedPolynomial: UInt64
    var register: UInt64 = ~0

    init(reflectedPolynomial: UInt64) {
        self.reflectedPolynomial = reflectedPolynomial
    }

    mutating func update(_ byte: UInt8) {
        register ^= UInt64(byte)
        for _ in 0..<8 {
            register = (register >> 1) ^ (register & 1 == 1 ? reflectedPolynomial : 0)
        }
    }

    mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { update(byte) }
    }

    var checksum: UInt64 { ~register }

    static func checksum(_ bytes: some Sequence<UInt8>, reflectedPolynomial: UInt64) -> UInt64 {
        var crc = BitwiseCRC(reflectedPolynomial: reflectedPolynomial)
        crc.update(bytes)
        return crc.checksum
    }
}

/// crc(A‖B) from crc(A), crc(B), |B| by squaring the one-zero-bit operator (zlib's crc32_combine).
func matrixCombine(_ crcA: UInt64, _ crcB: UInt64, lengthOfB: UInt64, reflectedPolynomial: UInt64) -> UInt64 {
    func times(_ matrix: [UInt64], _ vector: UInt64) -> UInt64 {
        var sum: UInt64 = 0
        var v = vector
        var i = 0
        while v != 0 {
            if v & 1 == 1 { sum ^= matrix[i] }
            v >>= 1
            i += 1
        }
        return sum
    }
    func square(_ matrix: [UInt64]) -> [UInt64] { matrix.map { times(matrix, $0) } }

    guard lengthOfB > 0 else { return crcA }
    // The operator for one zero bit: row 0 is the polynomial, row i maps bit i to bit i-1.
    var odd = [reflectedPolynomial] + (1..<64).map { UInt64(1) << ($0 - 1) }
    var even = square(odd)  // two zero bits
    odd = square(even)  // four zero bits
    var crc = crcA
    var n = lengthOfB
    repeat {
        even = square(odd)
        if n & 1 == 1 { crc = times(even, crc) }
        n >>= 1
        guard n > 0 else { break }
        odd = square(even)
        if n & 1 == 1 { crc = times(odd, crc) }
        n >>= 1
    } while n > 0
    return crc ^ crcB
}

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
struct TestBytes: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
