import ArgumentParser
import CRC64

/// `oss kernels`: which CRC-64 kernels this CPU runs, and which one is used.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "List the CRC-64 kernels this CPU supports; the one marked * is used by default."
    )

    func run() {
        for kernel in CRC64Kernel.supported.reversed() {
            print("\(kernel == .best ? "*" : " ") \(kernel.name)")
        }
    }
}
