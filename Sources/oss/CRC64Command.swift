import ArgumentParser
import CRC64
import Foundation
import OSSClient
import OSSProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `oss crc64`: checksums of files, in the shape of `sha256sum`.
struct CRC64Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crc64",
        abstract: "Print or check CRC-64 checksums (decimal, as x-oss-hash-crc64ecma carries them).",
        discussion: """
            With no FILE, or when FILE is -, read standard input. Each line of output is \
            '<checksum>  <file>'. A file that cannot be read is reported on standard error, the \
            other files are still processed, and the exit status is 1.
            """
    )

    @Flag(help: "Use CRC-64/NVME instead of CRC-64/XZ (the OSS x-oss-hash-crc64ecma).")
    var nvme = false

    @Flag(help: "Print and read checksums as 16 hexadecimal digits instead of decimal.")
    var hex = false

    @Flag(help: "Print and read checksums as S3 shows them: base64 of the 8 big-endian bytes (with --nvme, x-amz-checksum-crc64nvme).")
    var base64 = false

    @Option(name: .long, help: ArgumentHelp("Verify the checksums listed in LIST ('<checksum>  <file>' lines).", valueName: "LIST"))
    var check: String?

    @Option(help: ArgumentHelp("Force a kernel (see 'oss kernels'); default: the fastest this CPU supports.", valueName: "NAME"))
    var kernel: String?

    @Argument(help: "Files to checksum; - is standard input.")
    var files: [String] = []

    func validate() throws {
        if let kernel, CRC64Kernel(name: kernel)?.isSupported != true {
            let names = CRC64Kernel.supported.map(\.name).joined(separator: ", ")
            throw ValidationError("unknown or unsupported kernel '\(kernel)'; this CPU supports: \(names)")
        }
        if hex && base64 {
            throw ValidationError("--hex and --base64 are two spellings of the checksum: choose one")
        }
        if check != nil && !files.isEmpty {
            throw ValidationError("--check reads the file names from LIST; do not name files as well")
        }
    }

    func run() async throws {
        let checksummer = FileChecksummer(
            variant: nvme ? .nvme : .xz,
            kernel: kernel.flatMap(CRC64Kernel.init(name:)) ?? .best
        )
        let failed: Bool
        if let check {
            failed = await verify(listPath: check, with: checksummer)
        } else {
            failed = await printChecksums(of: files.isEmpty ? ["-"] : files, with: checksummer)
        }
        if failed { throw ExitCode.failure }
    }

    private var notation: ChecksumListEntry.Notation { hex ? .hex : base64 ? .base64 : .decimal }

    private func format(_ crc: UInt64) -> String {
        // The same rendering for either variant: base64 of the 8 big-endian bytes.
        if base64 { return S3ChecksumAlgorithm.crc64nvme.headerValue(crc: crc) }
        guard hex else { return String(crc) }
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private func printChecksums(of paths: [String], with checksummer: FileChecksummer) async -> Bool {
        var failed = false
        for path in paths {
            do {
                let crc = try await checksummer.checksum(path: path)
                print("\(format(crc))  \(path)")
            } catch {
                printError("oss crc64: \(path): \(error)")
                failed = true
            }
        }
        return failed
    }

    private func verify(listPath: String, with checksummer: FileChecksummer) async -> Bool {
        let list: String
        do {
            list = String(decoding: try await FileChecksummer.readAll(path: listPath), as: UTF8.self)
        } catch {
            printError("oss crc64: \(listPath): \(error)")
            return true
        }
        var failed = false
        for (number, line) in list.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            guard let entry = ChecksumListEntry(line: line, notation: notation) else {
                printError("oss crc64: \(listPath):\(number + 1): not a '<checksum>  <file>' line\(notation == .decimal ? " (hex checksums need --hex, base64 ones --base64)" : "")")
                failed = true
                continue
            }
            do {
                let crc = try await checksummer.checksum(path: entry.path)
                if crc == entry.checksum {
                    print("\(entry.path): OK")
                } else {
                    print("\(entry.path): FAILED (expected \(format(entry.checksum)), got \(format(crc)))")
                    failed = true
                }
            } catch {
                print("\(entry.path): FAILED open or read")
                printError("oss crc64: \(entry.path): \(error)")
                failed = true
            }
        }
        return failed
    }
}

/// One line of a checksum list: `<checksum>  <file>` (a single space or `' *'` also accepted).
struct ChecksumListEntry: Equatable {
    var checksum: UInt64
    var path: String

    /// How the checksum is written.
    enum Notation: Equatable {
        case decimal, hex
        /// Base64 of the 8 big-endian bytes, as S3's `x-amz-checksum-crc64nvme`.
        case base64
    }

    init?(line: Substring, notation: Notation) {
        guard let space = line.firstIndex(of: " ") else { return nil }
        let value = line[..<space]
        var rest = line[line.index(after: space)...]
        if rest.first == " " || rest.first == "*" { rest = rest.dropFirst() }
        let parsed: UInt64? = switch notation {
        case .decimal: UInt64(value, radix: 10)
        case .hex: UInt64(value, radix: 16)
        case .base64: try? S3ChecksumAlgorithm.crc64nvme.crc(fromHeaderValue: value)
        }
        guard !rest.isEmpty, let checksum = parsed else { return nil }
        self.checksum = checksum
        self.path = String(rest)
    }
}

/// Writes one line to standard error (unbuffered, so it interleaves correctly with stdout).
func printError(_ message: String) {
    var line = message
    line.append("\n")
    var bytes = Array(line.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
    }
}
