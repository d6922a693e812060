import NIOConcurrencyHelpers

/// How far a transfer has come: enough for a CLI progress bar (percentage, rate, ETA).
public struct OSSTransferProgress: Sendable, Hashable {
    /// Bytes confirmed so far (uploaded parts, downloaded chunks; resumed parts count at once).
    public var bytesTransferred: Int64
    /// The transfer's size, when known (a stream upload's is not).
    public var totalBytes: Int64?
    /// The part of ``bytesTransferred`` taken over from a checkpoint rather than moved now: a
    /// rate is `(bytesTransferred - resumedBytes) / elapsed`, or a resumed transfer would report
    /// the speed of reading its checkpoint.
    public var resumedBytes: Int64

    /// Creates a progress value.
    public init(bytesTransferred: Int64, totalBytes: Int64?, resumedBytes: Int64 = 0) {
        self.bytesTransferred = bytesTransferred
        self.totalBytes = totalBytes
        self.resumedBytes = resumedBytes
    }

    /// `bytesTransferred / totalBytes` in 0…1, when the total is known and not zero.
    public var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return Double(bytesTransferred) / Double(totalBytes)
    }
}

/// Called from any task as bytes are confirmed; it must be cheap and thread-safe (for example,
/// store the value and let a timer redraw the bar).
public typealias OSSProgressHandler = @Sendable (OSSTransferProgress) -> Void

/// Counts bytes from parallel parts and reports the running total.
final class ProgressTracker: Sendable {
    private let handler: OSSProgressHandler?
    private let state: NIOLockedValueBox<OSSTransferProgress>

    init(total: Int64?, handler: OSSProgressHandler?) {
        self.handler = handler
        state = NIOLockedValueBox(OSSTransferProgress(bytesTransferred: 0, totalBytes: total))
    }

    /// Adds (or, after a failed attempt, subtracts) bytes and reports.
    func add(_ bytes: Int64) {
        guard bytes != 0 else { return }
        let now = state.withLockedValue { state in
            state.bytesTransferred += bytes
            return state
        }
        handler?(now)
    }

    /// Counts bytes a checkpoint already holds, and reports (also when there are none: the
    /// transfer has started, and a display learns its total).
    func resume(_ bytes: Int64) {
        let now = state.withLockedValue { state in
            state.bytesTransferred += bytes
            state.resumedBytes += bytes
            return state
        }
        handler?(now)
    }

    func setTotal(_ total: Int64) {
        state.withLockedValue { $0.totalBytes = total }
    }

    /// Runs one request that reports its body as it is sent; when it succeeds, tops the total up
    /// to the size it stored (for a body the transport sent without reporting it), so a finished
    /// part always counts exactly once. A failed request's bytes were already taken back by the
    /// transport.
    ///
    /// Without a handler there is nobody to tell, so `body` gets no reporter and the transport
    /// sends the body whole instead of slice by slice.
    func reportingSent<T>(
        size: (T) -> Int64, _ body: (SentBytesReporter?) async throws -> T
    ) async throws -> T {
        guard handler != nil else {
            let result = try await body(nil)
            add(size(result))
            return result
        }
        let counted = NIOLockedValueBox(Int64(0))
        let result = try await body { [self] count in
            counted.withLockedValue { $0 += count }
            add(count)
        }
        add(size(result) - counted.withLockedValue { $0 })
        return result
    }
}
