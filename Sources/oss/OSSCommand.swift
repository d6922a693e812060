import ArgumentParser

@main
struct OSSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oss",
        abstract: "Object storage with end-to-end CRC-64 integrity.",
        version: OSSVersion.line,
        subcommands: [
            ServeCommand.self,
            ListCommand.self, StatCommand.self, DiskUsageCommand.self, CopyCommand.self, CatCommand.self,
            SyncCommand.self, RemoveCommand.self, SetMetaCommand.self, MakeBucketCommand.self, RemoveBucketCommand.self,
            MultipartCommand.self, PresignCommand.self,
            HashCommand.self, VerifyCommand.self, CRC64Command.self,
            ConfigCommand.self, ProbeCommand.self, KernelsCommand.self, AdminCommand.self, ScrubCommand.self,
        ]
    )
}
