import Testing
@testable import CRC64
@Test func checkValues() { #expect(CRC64.xz.checksum("123456789".utf8) == 0x995DC9BBDF1939FA); #expect(CRC64.nvme.checksum("123456789".utf8) == 0xAE8B14860A799888) }
