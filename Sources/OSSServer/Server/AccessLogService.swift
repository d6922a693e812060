import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Writes the waiting access log lines (``AccessLog``) as objects into the buckets' target
/// buckets, every `interval` and once more when the server shuts down. A bucket whose target is
/// gone (or no longer its owner's) loses its lines, with a warning; nothing else stops.
struct AccessLogService: Service {
    let storage: ObjectStorage
    let log: AccessLog
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
                await flush()
            }
        }
        // Whatever arrived until the end is written too.
        await flush()
    }

    func flush() async {
        for (bucket, pending) in log.drain() where !pending.lines.isEmpty || pending.dropped > 0 {
            var text = pending.lines.joined(separator: "\n") + "\n"
            if pending.dropped > 0 { text += "# \(pending.dropped) line(s) dropped: more than the buffer holds\n" }
            let key = AccessLog.objectKey(prefix: pending.prefix, bucket: bucket, time: Date())
            do {
                // Only into a bucket of the same owner, as the configuration was accepted.
                guard try await storage.bucketOwner(pending.target) == storage.bucketOwner(bucket) else {
                    logger.warning("access log of \(bucket) not written: \(pending.target) belongs to someone else now")
                    continue
                }
                let storageClass = try await storage.bucket(pending.target).storageClass
                _ = try await storage.putObject(
                    bucket: pending.target, key: key, body: SingleBufferBody(buffer: ByteBuffer(string: text)),
                    attributes: ObjectAttributes(contentType: "text/plain", storageClass: storageClass))
            } catch {
                logger.warning("access log of \(bucket) not written to \(pending.target)/\(key): \(error)")
            }
        }
    }
}
