import Synchronization

/// The logs the maintenance loop has to look at, so that idle partitions cost it nothing: a log
/// registers itself when an append leaves data that `flush.ms` must sync, and while its
/// `cleanup.policy` includes compaction. Ten thousand idle partitions are not walked every
/// second (retention alone still looks at every log, every `log.retention.check.interval.ms`).
final class MaintenanceWatch: Sendable {
    private struct Watched {
        var flushPending: [ObjectIdentifier: PartitionLog] = [:]
        var compacted: [ObjectIdentifier: PartitionLog] = [:]
    }

    private let watched = Mutex(Watched())

    /// An append left unsynced data in a log with `flush.ms`.
    func flushPending(_ log: PartitionLog) {
        watched.withLock { $0.flushPending[ObjectIdentifier(log)] = log }
    }

    /// The logs with data waiting for `flush.ms`; they are no longer watched once returned (a
    /// log that is still dirty registers again on its next check).
    func takeFlushPending() -> [PartitionLog] {
        watched.withLock { watched in
            defer { watched.flushPending = [:] }
            return Array(watched.flushPending.values)
        }
    }

    /// A log was opened or its configuration changed.
    func configured(_ log: PartitionLog, compacted: Bool) {
        watched.withLock { $0.compacted[ObjectIdentifier(log)] = compacted ? log : nil }
    }

    var compactedLogs: [PartitionLog] { watched.withLock { Array($0.compacted.values) } }

    /// A log was closed for good (its topic deleted).
    func forget(_ log: PartitionLog) {
        watched.withLock { watched in
            watched.flushPending[ObjectIdentifier(log)] = nil
            watched.compacted[ObjectIdentifier(log)] = nil
        }
    }
}
