import ArgumentParser

@main
struct OSSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oss",
        abstract: "Object storage with end-to-end CRC-64 integrity.",
        subcommands: [ServeCommand.self, CRC64Command.self, KernelsCommand.self]
    )
}
