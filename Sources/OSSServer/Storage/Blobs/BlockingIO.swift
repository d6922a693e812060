import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs blocking file-system calls on a bounded pool of threads of their own.
///
/// `fsync` of a large file, or `read` under memory pressure, can block for many milliseconds; on
/// the cooperative pool (one thread per core, two here) that would stall every request, and on an
/// unbounded pool a burst of slow fsyncs would grow the process to hundreds of threads. A fixed
/// pool keeps both in check; ``threads`` is large enough that the fsyncs of concurrent uploads
/// overlap. Calls are batched per chunk (256 KiB – 1 MiB) so the cost of the hop stays negligible.
enum BlockingIO {
    /// Threads in the pool.
    static let threads = 16

    /// Started once, on first use, and kept for the life of the process, as NIO's own pools are.
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(StorageError) -> T) async throws(StorageError) -> T {
        let result: Result<T, StorageError>
        do {
            result = try await pool.runIfActive { Result(catching: body) }
        } catch {
            // Only a pool that was shut down refuses work, and this one never is.
            throw StorageError.io(operation: "schedule blocking I/O", path: "-", errno: ECANCELED)
        }
        return try result.get()
    }
}
