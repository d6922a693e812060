import OSSServer
import Testing

@Suite("--metadata: sqlite or a PostgreSQL URL, one server or several")
struct MetadataBackendTests {
    typealias Endpoint = OSSMetadataBackend.Postgres.Endpoint

    @Test("one host: user, password, port, database and options as libpq reads them")
    func oneHost() throws {
        let settings = try OSSMetadataBackend.Postgres(url: "postgres://oss:p%40ss@db.example:6543/meta?schema=oss_1&sslmode=require")
        #expect(settings.endpoints == [Endpoint(host: "db.example", port: 6543)])
        #expect(settings.user == "oss")
        #expect(settings.password == "p@ss")
        #expect(settings.database == "meta")
        #expect(settings.schema == "oss_1")
        #expect(settings.sslMode == "require")
        #expect(settings.description == "postgres://oss@db.example:6543/meta?schema=oss_1")
    }

    @Test("several hosts, tried in order; the default port where one names none; IPv6 in brackets")
    func severalHosts() throws {
        let settings = try OSSMetadataBackend.Postgres(
            url: "postgresql://oss@10.0.0.1:5433,standby.example,[::1]:6000/oss", environment: ["PGPASSWORD": "secret"])
        #expect(settings.endpoints == [
            Endpoint(host: "10.0.0.1", port: 5433), Endpoint(host: "standby.example", port: 5432), Endpoint(host: "::1", port: 6000),
        ])
        #expect(settings.password == "secret")
        #expect(settings.database == "oss")
        #expect(!settings.description.contains("secret"))
        #expect(settings.description == "postgres://oss@10.0.0.1:5433,standby.example:5432,[::1]:6000/oss")
    }

    @Test(
        "malformed URLs are refused with the expected form, never echoing the password",
        arguments: [
            "postgres://oss:hunter2@h1,,h2/oss", "postgres://oss:hunter2@/oss", "postgres://oss:hunter2@h1,h2",
            "mysql://oss:hunter2@h1/oss", "postgres://oss:hunter2@h1:port/oss", "postgres://oss:hunter2@h1/a/b",
        ])
    func malformed(url: String) {
        #expect {
            _ = try OSSMetadataBackend(url)
        } throws: { error in
            let message = "\(error)"
            return message.contains("postgres://USER@HOST[:PORT][,HOST[:PORT]…]/DATABASE") && !message.contains("hunter2")
        }
    }

    @Test("an unknown option is named, with the options there are")
    func unknownOption() {
        #expect {
            _ = try OSSMetadataBackend("postgres://oss:hunter2@h1,h2/oss?sslmode=verify-full")
        } throws: { error in
            let message = "\(error)"
            return message.contains("'sslmode'") && message.contains("schema=NAME") && !message.contains("hunter2")
        }
    }
}
