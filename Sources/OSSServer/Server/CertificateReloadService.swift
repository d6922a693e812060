import Logging
import ServiceLifecycle
import UnixSignals

/// Reads the TLS certificate and key again on SIGHUP, as certificate renewal tools expect
/// (certbot's deploy hook, `systemctl reload`): connections accepted afterwards get the new
/// certificate, open ones keep theirs. A failed reload is logged and the old certificate stays.
struct CertificateReloadService: Service {
    let certificate: ServerCertificate
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    try certificate.reload()
                    logger.info("reloaded the TLS certificate", metadata: ["certificate": "\(certificate.files.certificate)"])
                } catch {
                    logger.error("reloading the TLS certificate failed, the previous one stays in effect: \(error)")
                }
            }
        }
    }
}
