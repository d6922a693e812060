import Foundation
import NIOSSL
import OSSProtocol
import PostgresNIO

/// Where the server keeps its metadata: SQLite in the data folder (one node, the default) or a
/// PostgreSQL database that any number of nodes share (`oss serve --metadata postgres://…`).
public enum OSSMetadataBackend: Sendable, Hashable, CustomStringConvertible {
    case sqlite
    case postgres(Postgres)

    /// A backend from `--metadata`: `sqlite`, or a `postgres://` (or `postgresql://`) URL.
    /// `environment` may hold the password (`OSS_METADATA_PASSWORD` or `PGPASSWORD`) so that it
    /// need not be on the command line.
    /// - Throws: ``OSSMetadataBackendError`` naming what is wrong.
    public init(_ location: String, environment: [String: String] = [:]) throws(OSSMetadataBackendError) {
        if location == "sqlite" {
            self = .sqlite
            return
        }
        self = .postgres(try Postgres(url: location, environment: environment))
    }

    public var description: String {
        switch self {
        case .sqlite: "SQLite in the data folder"
        case .postgres(let postgres): postgres.description
        }
    }

    /// A PostgreSQL database and how to reach it.
    public struct Postgres: Sendable, Hashable, CustomStringConvertible {
        /// The servers to try, in order: the primary and its standbys. Transactions go to one
        /// of them at a time; when it cannot be reached or turns out to be a standby, the node
        /// moves on to the next, so that a promoted standby takes over (``PostgresTransactions``).
        public var endpoints: [Endpoint]
        public var user: String
        /// Never logged.
        public var password: String?
        public var database: String
        /// The schema the tables live in (`search_path`); created if missing. `nil`: the
        /// database's default (`public`).
        public var schema: String?
        /// `disable`, `prefer` (the default, as libpq's) or `require`.
        public var sslMode: String
        /// How long a request waits for a connection before it answers 503.
        public var deadline: Duration = .seconds(5)
        /// How long a transaction that began may go without an answer before the request answers
        /// 503 and its connection is closed (never sooner than ``deadline``); longer than any
        /// wait a healthy server allows itself (`lock_timeout` is 10 s).
        public var answerLimit: Duration = .seconds(20)
        /// The most connections this node opens.
        public var maximumConnections = 20

        /// One server's address.
        public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
            public var host: String
            public var port: Int

            public init(host: String, port: Int = 5432) {
                self.host = host
                self.port = port
            }

            public var description: String {
                HostNotation.address(host, port: port)
            }
        }

        /// The database as logs may show it: the password left out.
        public var description: String {
            "postgres://\(user)@\(endpoints.map(\.description).joined(separator: ","))/\(database)"
                + (schema.map { "?schema=\($0)" } ?? "")
        }

        /// Settings from `postgres://USER[:PASSWORD]@HOST[:PORT][,HOST[:PORT]…]/DATABASE[?schema=S&sslmode=M]`:
        /// libpq's URL, several hosts included.
        public init(url: String, environment: [String: String] = [:]) throws(OSSMetadataBackendError) {
            // Foundation parses no URL with several hosts: they are taken out, each parsed on its
            // own, and the rest is parsed with the first one in their place.
            guard let schemeEnd = url.range(of: "://") else { throw .badURL(url) }
            let rest = url[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            let hostsStart = authority.lastIndex(of: "@").map(authority.index(after:)) ?? authority.startIndex
            let hosts = authority[hostsStart...].split(separator: ",", omittingEmptySubsequences: false)
            var endpoints: [Endpoint] = []
            for host in hosts {
                guard let parsed = URLComponents(string: "postgres://\(host)"), let name = parsed.host, !name.isEmpty,
                    parsed.user == nil, parsed.path.isEmpty
                else { throw .badURL(url) }
                // An IPv6 address keeps its brackets in `host` here; the client wants it bare.
                let bare = name.hasPrefix("[") && name.hasSuffix("]") ? String(name.dropFirst().dropLast()) : name
                endpoints.append(Endpoint(host: bare, port: parsed.port ?? 5432))
            }
            let single = String(url[..<hostsStart]) + (hosts.first.map(String.init) ?? "") + String(rest[authorityEnd...])
            guard let components = URLComponents(string: single), ["postgres", "postgresql"].contains(components.scheme),
                !endpoints.isEmpty
            else { throw .badURL(url) }
            let database = String(components.path.drop { $0 == "/" })
            guard !database.isEmpty, !database.contains("/") else { throw .badURL(url) }
            self.endpoints = endpoints
            user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["USER"] ?? "postgres"
            password = components.password.flatMap { $0.removingPercentEncoding }
                ?? environment["OSS_METADATA_PASSWORD"] ?? environment["PGPASSWORD"]
            self.database = database
            var schema: String?
            var sslMode = "prefer"
            for item in components.queryItems ?? [] {
                switch (item.name, item.value) {
                case ("schema", let value?) where Self.isValidIdentifier(value): schema = value
                case ("sslmode", let value?) where ["disable", "prefer", "require"].contains(value): sslMode = value
                default: throw .badOption(item.name, url: url)
                }
            }
            self.schema = schema
            self.sslMode = sslMode
        }

        /// A lower-case SQL identifier that needs no quoting.
        static func isValidIdentifier(_ name: String) -> Bool {
            guard let first = name.utf8.first, (0x61...0x7A).contains(first) || first == 0x5F, name.utf8.count <= 63 else {
                return false
            }
            return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
        }

        /// The configuration of a client of `endpoint`: TLS as `sslMode` says, the schema first
        /// on the search path.
        func clientConfiguration(_ endpoint: Endpoint) -> PostgresClient.Configuration {
            let tls: PostgresClient.Configuration.TLS = switch sslMode {
            case "disable": .disable
            case "require": .require(.makeClientConfiguration())
            default: .prefer(.makeClientConfiguration())
            }
            var configuration = PostgresClient.Configuration(
                host: endpoint.host, port: endpoint.port, username: user, password: password, database: database, tls: tls)
            configuration.options.connectTimeout = deadline
            configuration.options.maximumConnections = maximumConnections
            // A wait for a lock or a transaction left open never lasts: the request gets a 503.
            var options = "-c lock_timeout=10s -c idle_in_transaction_session_timeout=60s"
            if let schema { options += " -c search_path=\(schema)" }
            configuration.options.additionalStartupParameters = [("options", options)]
            return configuration
        }
    }
}

/// Why metadata settings were refused; each message names the fix.
public enum OSSMetadataBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    case badURL(String)
    case badOption(String, url: String)

    public var description: String {
        switch self {
        case .badURL(let url):
            "--metadata \(Self.redacted(url)): expected sqlite or postgres://USER@HOST[:PORT][,HOST[:PORT]…]/DATABASE, e.g. postgres://oss@127.0.0.1:5432/oss"
        case .badOption(let name, let url):
            "--metadata \(Self.redacted(url)): unknown or malformed option '\(name)'; the options are schema=NAME (lower-case letters, digits, _) and sslmode=disable|prefer|require"
        }
    }

    /// The URL without its password, if it has one.
    ///
    /// Found by hand rather than with `URLComponents`, which parses no URL of several hosts and
    /// would leave the password of one in the message.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[...colon]) + "***" + String(url[at...])
    }
}
