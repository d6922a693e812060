import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ServeCommand {
    /// Creates the data folder if missing and proves it writable before anything is served.
    ///
    /// Without this, a folder or database the server's user cannot write is found out by the
    /// first write request (a 500 after "listening on"), and a path that is a file shows up as
    /// the system's "File exists". Each problem is one line naming the path, the cause in the
    /// system's words, and the fix.
    static func prepareDataFolder(_ directory: URL) throws(CommandFailure) {
        let path = directory.path
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
            throw CommandFailure("--data \(path): a file of that name exists; give a folder (it is created if missing)")
        }
        var partial = ""
        for component in path.split(separator: "/") {
            partial += "/" + component
            guard mkdir(partial, 0o755) == 0 || errno == EEXIST else {
                throw CommandFailure(
                    "cannot create the data folder \(path): \(partial): \(String(cString: strerror(errno))); give a --data folder this user can create")
            }
        }
        let probe = path + "/.write-check-\(getpid())"
        let descriptor = open(probe, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure(
                "the data folder \(path) is not writable: \(String(cString: strerror(errno))); fix its permissions or give another --data folder")
        }
        let written = write(descriptor, "x", 1) == 1 && fsync(descriptor) == 0
        let cause = String(cString: strerror(errno))
        close(descriptor)
        unlink(probe)
        guard written else { throw CommandFailure("the data folder \(path) cannot take a write: \(cause)") }
        let database = path + "/metadata.sqlite"
        if access(database, F_OK) == 0, access(database, R_OK | W_OK) != 0 {
            throw CommandFailure(
                "the metadata database \(database) is not writable by this user: \(String(cString: strerror(errno))); make it writable (chmod u+rw) or run as its owner")
        }
    }
}
