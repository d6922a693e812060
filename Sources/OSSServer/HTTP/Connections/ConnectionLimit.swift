import HummingbirdCore
import Logging

/// Stops accepting connections while `maximum` are open, so that slow or idle clients cannot
/// exhaust the process's file descriptors and stop all service: new connections wait in the
/// kernel's accept queue until one closes.
///
/// Reaching the limit is logged once at warning level each time it happens, naming the setting.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    /// Where the count of open connections is reported.
    let metrics: ServerMetrics?
    private var open = 0

    init(maximum: Int, logger: Logger, metrics: ServerMetrics? = nil) {
        self.maximum = maximum
        self.logger = logger
        self.metrics = metrics
    }

    mutating func connectionOpened() {
        open += 1
        metrics?.connectionOpened()
        if open == maximum {
            logger.warning(
                "\(maximum) connections are open, the most allowed: new connections wait until one closes (oss serve --max-connections)")
        }
    }

    mutating func connectionClosed() {
        open -= 1
        metrics?.connectionClosed()
    }

    func isAcceptingNewConnections() -> Bool {
        open < maximum
    }
}
