import Foundation
import NIOConcurrencyHelpers
import Testing
#if canImport(Glibc)
import Glibc
#endif

@testable import OSSServer

/// A throwaway PostgreSQL cluster on a free loopback port, for the tests of the PostgreSQL
/// metadata store; each test takes a schema of its own (``backend()``).
///
/// The binaries come from Debian's `postgresql` (`/usr/lib/postgresql/VERSION/bin`, or
/// `OSS_TEST_PG_BIN`). `initdb` refuses to run as root, so as root the cluster belongs to the
/// `postgres` user. A watchdog process stops the cluster and removes its folder once the test
/// process is gone, however it ended. Where PostgreSQL is missing, the tests that need it are
/// skipped with a message naming the package, except when `OSS_REQUIRE_ENGINES=1` (CI).
final class PostgresServer: Sendable {
    /// Printed by the tests skipped for want of PostgreSQL.
    static let missing = "PostgreSQL is not installed: apt-get install postgresql"

    /// The folder of `initdb`, `pg_ctl` and `postgres`.
    static let binaries: String? = {
        if let named = ProcessInfo.processInfo.environment["OSS_TEST_PG_BIN"], !named.isEmpty { return named }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap { Int($0) }.sorted()
        guard let version = versions.last else { return nil }
        let binaries = "\(root)/\(version)/bin"
        return FileManager.default.isExecutableFile(atPath: binaries + "/pg_ctl") ? binaries : nil
    }()

    static var isAvailable: Bool { binaries != nil }

    /// The cluster the whole test process shares, started on first use.
    static let shared = NIOLockedValueBox<Task<PostgresServer, any Error>?>(nil)

    static func sharedServer() async throws -> PostgresServer {
        let task = shared.withLockedValue { task in
            if let task { return task }
            let started = Task { try await PostgresServer() }
            task = started
            return started
        }
        return try await task.value
    }

    let directory: URL
    let port: Int

    /// `initdb` and `pg_ctl start`, waiting until the server accepts connections.
    convenience init() async throws {
        try await self.init { binaries, data in
            try await Self.run(["\(binaries)/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        }
    }

    /// A streaming standby of `primary` (`pg_basebackup -R`), started and following it.
    convenience init(standbyOf primary: PostgresServer) async throws {
        try await self.init { binaries, data in
            try await Self.run([
                "\(binaries)/pg_basebackup", "-h", "127.0.0.1", "-p", "\(primary.port)", "-U", "postgres", "-D", data, "-R",
                "-X", "stream", "--no-sync",
            ])
        }
    }

    private init(creating create: (_ binaries: String, _ data: String) async throws -> Void) async throws {
        guard let binaries = Self.binaries else { throw PostgresServerError.notInstalled }
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("oss-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            guard let account = getpwnam("postgres") else { throw PostgresServerError.failed("no postgres user to run as") }
            chown(directory.path, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        port = try SeaweedFSServer.freePort()
        try await create(binaries, directory.appendingPathComponent("data").path)
        try await start()
        // Stop the cluster when this process is gone, even after a crash.
        let stop = Self.command([binaries + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]).joined(separator: " ")
        let watchdog = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf \(directory.path)"
        guard Self.spawn(["/usr/bin/setsid", "sh", "-c", watchdog], output: "/dev/null") > 0 else {
            throw PostgresServerError.failed("could not start the watchdog")
        }
    }

    private var data: String { directory.appendingPathComponent("data").path }

    /// Stops the server (a fast shutdown: sessions are cut, as in a crash of the clients' view).
    func stop() async throws {
        try await Self.run([Self.binaries! + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])
    }

    /// Starts the stopped server again on the same port.
    func start() async throws {
        try await Self.run([
            Self.binaries! + "/pg_ctl", "-D", data, "-l", directory.appendingPathComponent("log").path, "-w", "-t", "60",
            "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c max_connections=1000", "start",
        ])
    }

    /// Stops the server as a crash would (`immediate`: no checkpoint, sessions cut).
    func crash() async throws {
        try await Self.run([Self.binaries! + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
    }

    /// Promotes a standby to primary, waiting until it accepts writes.
    func promote() async throws {
        try await Self.run([Self.binaries! + "/pg_ctl", "-D", data, "-w", "promote"])
    }

    /// Runs SQL with `psql` (statements such as `ALTER SYSTEM` that need no client library).
    func psql(_ sql: String) async throws {
        try await Self.run([
            Self.binaries! + "/psql", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-v",
            "ON_ERROR_STOP=1", "-c", sql,
        ])
    }

    /// Stops the server for good and removes its files (a cluster of one test's own).
    func destroy() {
        try? Self.runBlocking([Self.binaries! + "/pg_ctl", "-D", data, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Settings for a schema of its own in this cluster, created on first use by the store.
    func backend(schema: String = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "_"))
        -> OSSMetadataBackend.Postgres
    {
        var settings = try! OSSMetadataBackend.Postgres(
            url: "postgres://postgres@127.0.0.1:\(port)/postgres?schema=\(schema)&sslmode=disable")
        settings.maximumConnections = 4
        // Tests never judge speed: under the whole suite's load on two cores a first connection
        // has taken over the production default of 5 s. Tests of an unreachable server set their own.
        settings.deadline = .seconds(60)
        return settings
    }

    /// `argv` as run by the `postgres` user when this process is root.
    static func command(_ argv: [String]) -> [String] {
        getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + argv : argv
    }

    /// Runs a command to completion; throws with its output when it fails.
    ///
    /// The output goes to a file, not a pipe: a server the command starts may hold on to a pipe
    /// and keep it from ever reaching its end.
    ///
    /// On a thread of its own: waiting for `initdb` or `pg_ctl` on the cooperative pool (two
    /// threads here) stalled every other test of the process, enough for HTTP requests to time out.
    static func run(_ argv: [String]) async throws {
        try await onThread { try runBlocking(argv) }
    }

    /// ``run(_:)`` on the calling thread: for the cleanup in a `defer`, which cannot wait.
    static func runBlocking(_ argv: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("oss-pg-run-\(UUID().uuidString).log").path
        defer { unlink(log) }
        let status = spawnAndWait(["/usr/bin/env"] + command(argv), output: log)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresServerError.failed("\(argv.first ?? "") exited with \(status): \(text.suffix(2000))")
        }
    }

    /// posix_spawn and waitpid: Foundation's `Process.waitUntilExit` was seen never to return
    /// for `pg_ctl start`, whose server outlives it.
    static func spawnAndWait(_ argv: [String], output: String) -> Int32 {
        let pid = spawn(argv, output: output)
        guard pid > 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Starts `argv` with its output in the file `output`; its process id, or -1.
    ///
    /// Not Foundation's `Process` either: it watches its children through `select`, whose
    /// descriptor sets overflow past descriptor 1023, and this test process holds thousands.
    static func spawn(_ argv: [String], output: String, append: Bool = false) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The child keeps nothing of this process beyond its standard streams: a long-lived one
        // (the watchdog, the PostgreSQL server) holding the write end of another test's pipe
        // would keep that test from ever reading to its end. Glibc's closefrom action is not
        // visible to Swift here, so bash closes them before it runs the command.
        let closing = #"for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null; exec "$@""#
        let argv = ["/bin/bash", "-c", closing, "bash"] + argv
        var arguments = argv.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, &arguments, environ) == 0 else { return -1 }
        return pid
    }
}

enum PostgresServerError: Error {
    case notInstalled
    case failed(String)
}

/// Which metadata store the storage and HTTP tests run on: SQLite, or with
/// `OSS_TEST_METADATA=postgres` the PostgreSQL store (scripts/test runs those suites a second
/// time so). Each data directory gets its own schema, kept for the directory, so that a test
/// that opens its storage again finds its metadata.
enum TestMetadata {
    static let usesPostgres = ProcessInfo.processInfo.environment["OSS_TEST_METADATA"] == "postgres"

    private static let schemas = NIOLockedValueBox<[String: OSSMetadataBackend]>([:])

    /// The backend of the data directory `directory`.
    static func backend(for directory: String) async throws -> OSSMetadataBackend {
        guard usesPostgres else { return .sqlite }
        let server = try await PostgresServer.sharedServer()
        return schemas.withLockedValue { schemas in
            if let backend = schemas[directory] { return backend }
            let backend = OSSMetadataBackend.postgres(server.backend())
            schemas[directory] = backend
            return backend
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// For tests of what only the SQLite store and start-up recovery of one node do (its file,
    /// its pragmas, its migrations from earlier versions, orphan sweeps): not run in the
    /// PostgreSQL pass.
    static var sqliteOnly: Self {
        .enabled(if: !TestMetadata.usesPostgres, "tests the SQLite store of one node")
    }
}

/// Opens the storage of a test's data directory on the metadata store the run tests
/// (``TestMetadata``).
func openTestStorage(
    directory: String, configuration: StorageConfiguration = testConfiguration(), blobStore: (any BlobStore)? = nil
) async throws -> ObjectStorage {
    try await ObjectStorage.open(
        directory: directory, configuration: configuration, metadata: try await TestMetadata.backend(for: directory),
        blobStore: blobStore)
}
