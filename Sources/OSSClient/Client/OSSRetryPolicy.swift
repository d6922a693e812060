/// When a failed request is sent again, and how long the client waits first.
///
/// Retried: timeouts and connections lost mid-request, HTTP 5xx, 408 and 429, and the codes
/// `RequestTimeTooSkewed` and `InternalError`, only for requests that are safe to repeat
/// (an append, for example, never is: it might have been applied) and whose body can be sent
/// again (a caller's one-shot stream cannot). Other service errors, CRC mismatches and
/// cancellation are never retried: repeating them gives the same answer or hides a real fault;
/// nor are a refused connection, a host name that does not resolve and a failed TLS handshake
/// (``OSSTransportFailure/Kind``), which fail at once with a line naming the likely fix.
public struct OSSRetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first one included; 1 disables retries.
    public var maxAttempts: Int
    /// The backoff cap of the first retry; it doubles for each further one.
    public var baseDelay: Duration
    /// The largest backoff cap.
    public var maxDelay: Duration

    /// Creates a policy: 3 attempts, 200 ms doubling up to 5 s, with full jitter.
    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries at all.
    public static let none = OSSRetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1-based): uniformly random up to the capped
    /// exponential delay ("full jitter"), so that many clients failing together spread out.
    func delay(beforeRetry retry: Int) -> Duration {
        let exponent = min(retry - 1, 20)
        let cap = min(maxDelay, baseDelay * (1 << exponent))
        let capNanoseconds = Double(cap.components.seconds) * 1e9 + Double(cap.components.attoseconds) / 1e9
        guard capNanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64(Double.random(in: 0...capNanoseconds)))
    }

    /// Whether a service error is worth repeating.
    static func isRetryable(_ error: OSSServiceError) -> Bool {
        // Damaged bytes at rest stay damaged: asking again only repeats the refusal.
        guard !error.isDamagedObject else { return false }
        return error.status >= 500 || error.status == 408 || error.status == 429
            || error.code == "RequestTimeTooSkewed" || error.code == "InternalError"
    }
}
