import ArgumentParser

@main
struct OSSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oss",
        abstract: "Object storage with end-to-end CRC-64 integrity.",
        subcommands: [
            ServeCommand.self, ListCommand.self, StatCommand.self, CopyCommand.self, CatCommand.self,
            RemoveCommand.self, SyncCommand.self, MultipartCommand.self, ConfigCommand.self, MakeBucketCommand.self, RemoveBucketCommand.self, PresignCommand.self,
            VerifyCommand.self, CRC64Command.self, KernelsCommand.self, AdminCommand.self, ScrubCommand.self,
        ]
    )
}
