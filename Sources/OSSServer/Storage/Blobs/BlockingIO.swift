import Dispatch

/// Runs blocking file-system calls off Swift's cooperative thread pool.
///
/// `fsync` of a large file, or `read` under memory pressure, can block for many milliseconds; on
/// the cooperative pool (one thread per core, two here) that would stall every request. Calls are
/// batched per chunk (256 KiB – 1 MiB) so the cost of the hop stays negligible.
enum BlockingIO {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(StorageError) -> T) async throws(StorageError) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, StorageError>, Never>) in
            DispatchQueue.global().async {
                continuation.resume(returning: Result(catching: body))
            }
        }
        return try result.get()
    }
}
