#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files, which bounds how many connections (each a descriptor, plus
/// one for every blob it reads or writes) the server can hold.
enum FileDescriptorLimit {
    /// Raises the soft limit to the hard limit where the system allows it (the common soft
    /// default, 1024, would let about a thousand idle connections stop all service) and returns
    /// the soft limit in force afterwards.
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY is UInt64.max: no cap
    }

    /// The connection cap that leaves room under `limit` for each connection's blob file and for
    /// the database, the log and the listener: half the descriptors beyond a reserve, at most 4096.
    static func defaultConnectionCap(forLimit limit: Int) -> Int {
        Swift.max(16, Swift.min(4096, (limit - 128) / 2))
    }
}
