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
    private var open = 0

    init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        if open == maximum {
            logger.warning(
                "\(maximum) connections are open, the most allowed: new connections wait until one closes (oss serve --max-connections)")
        }
    }

    mutating func connectionClosed() {
        open -= 1
    }

    func isAcceptingNewConnections() -> Bool {
        open < maximum
    }
}
