import Foundation
import OSSProtocol

/// The RestoreObject rules, as a pure function of the object's current record applied inside the
/// metadata transaction, so that of two concurrent restores one starts and the other sees it
/// in progress.
struct ObjectRestore: Sendable {
    var bucket: String
    var key: String
    /// How long the object stays readable once restored.
    var days: Int
    /// How long the restore takes.
    var delay: Duration
    var time: Date

    /// The object with its restore started (a readable window `delay` from now, `days` long) or,
    /// when already restored, with that window extended to `days` from now. Throws `noSuchKey`,
    /// `operationNotSupported` for an object outside the archive classes, and
    /// `restoreAlreadyInProgress` while an earlier restore runs.
    func apply(to current: ObjectRecord?) throws(StorageError) -> ObjectRecord {
        guard var object = current else { throw .noSuchKey(bucket: bucket, key: key) }
        guard object.attributes.storageClass.isArchive else {
            throw .operationNotSupported("RestoreObject applies to Archive, ColdArchive and DeepColdArchive objects.")
        }
        let window = TimeInterval(days) * 86_400
        if let restore = object.restore, restore.isOngoing(at: time) {
            throw .restoreAlreadyInProgress(bucket: bucket, key: key)
        } else if let restore = object.restore, restore.isRestored(at: time) {
            object.restore?.expiryTime = max(restore.expiryTime, time.addingTimeInterval(window))
        } else {
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            let ready = time.addingTimeInterval(seconds)
            object.restore = RestoreState(readyTime: ready, expiryTime: ready.addingTimeInterval(window))
        }
        return object
    }
}
