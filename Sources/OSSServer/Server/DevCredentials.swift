import Foundation
import OSSProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The development key pair of a data folder: random on first start, stored with mode 0600 in
/// the data folder, reused afterwards, so SDK snippets keep working across restarts.
public enum DevCredentials {
    static let fileName = "credentials"

    /// The credentials file cannot be read or written; the message names the file and the fix.
    public struct Failure: Error, CustomStringConvertible {
        /// One line for the command line.
        public var description: String
    }

    /// The credentials from `OSS_ACCESS_KEY_ID` / `OSS_ACCESS_KEY_SECRET` when both are set (the
    /// variables the SDKs read), otherwise the data folder's stored pair, created if missing.
    public static func resolve(dataDirectory: URL, environment: [String: String]) throws -> (OSSCredentials, source: String) {
        // The server signs nothing itself: a session token in the environment is not its business.
        if let pair = try? OSSCredentials.fromEnvironment(environment) {
            return (OSSCredentials(accessKeyID: pair.accessKeyID, secret: pair.secret), "environment")
        }
        return (try loadOrCreate(in: dataDirectory), "data folder")
    }

    /// The stored pair of a data folder, `nil` when it has none yet; clients of a local server
    /// (`oss cp` …) read it to sign without configuration.
    public static func load(from directory: URL) throws -> OSSCredentials? {
        let url = directory.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 2, !lines[0].isEmpty, !lines[1].isEmpty else {
            throw Failure(description: "\(url.path) is damaged: delete it to get a new key pair")
        }
        return OSSCredentials(accessKeyID: lines[0], secret: lines[1])
    }

    static func loadOrCreate(in directory: URL) throws -> OSSCredentials {
        let url = directory.appendingPathComponent(fileName)
        if let stored = try load(from: directory) { return stored }
        let credentials = OSSCredentials(accessKeyID: "LTAI" + RandomToken.make(count: 20), secret: RandomToken.make(count: 30))
        let contents = "\(credentials.accessKeyID)\n\(credentials.secret)\n"
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Failure(description: "cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = contents.withCString { write(fd, $0, strlen($0)) }
        guard written == contents.utf8.count, fsync(fd) == 0 else {
            throw Failure(description: "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        return credentials
    }
}
