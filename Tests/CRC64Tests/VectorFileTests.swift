import Foundation
import Testing
import CRC64

/// `Resources/crc64-vectors.txt` was computed with crcmod, an independent implementation.
@Suite struct VectorFileTests {
    struct Vector {
        var length: Int
        var seed: UInt64
        var xz: UInt64
        var nvme: UInt64
    }

    static func vectors() throws -> [Vector] {
        let url = try #require(Bundle.module.url(forResource: "crc64-vectors", withExtension: "txt", subdirectory: "Resources"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let dataLines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let vectors = dataLines.compactMap { line -> Vector? in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: " ")
            guard fields.count == 4, let n = Int(fields[0]), let seed = UInt64(fields[1], radix: 16),
                let xz = UInt64(fields[2], radix: 16), let nvme = UInt64(fields[3], radix: 16)
            else { return nil }
            return Vector(length: n, seed: seed, xz: xz, nvme: nvme)
        }
        #expect(vectors.count == dataLines.count, "every data line must parse")
        return vectors
    }

    /// The generator described in the file's header (xorshift64*, top byte).
    static func data(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed
        return (0..<count).map { _ in
            x ^= x >> 12
            x ^= x << 25
            x ^= x >> 27
            return UInt8((x &* 0x2545_F491_4F6C_DD1D) >> 56)
        }
    }

    @Test(arguments: CRC64Kernel.supported)
    func everyVectorWithEveryKernel(kernel: CRC64Kernel) throws {
        let vectors = try Self.vectors()
        #expect(vectors.count > 100)
        for vector in vectors {
            let bytes = Self.data(vector.length, seed: vector.seed)
            var xz = CRC64Hasher(.xz, kernel: kernel), nvme = CRC64Hasher(.nvme, kernel: kernel)
            xz.update(bytes)
            nvme.update(bytes)
            #expect(xz.checksum == vector.xz, "\(kernel) CRC-64/XZ n=\(vector.length)")
            #expect(nvme.checksum == vector.nvme, "\(kernel) CRC-64/NVME n=\(vector.length)")
        }
    }
}
