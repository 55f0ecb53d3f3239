import Dispatch
import Metrics

/// Group commit: an fsync append waits until an fdatasync covers its offset. While one sync
/// runs, later appends queue up; the next sync covers all of them, so N concurrent writers cost
/// far fewer than N syncs.
extension PartitionLog {
    /// Shared by all logs; each log runs at most one sync at a time on it.
    static let syncQueue = DispatchQueue(label: "sluice.log.sync", attributes: .concurrent)

    /// Returns once every offset below `offset` is on disk.
    public func waitUntilDurable(offset: Int64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let job: SyncJob? = state.withLock { state in
                if state.syncedOffset >= offset {
                    continuation.resume()
                    return nil
                }
                state.waiters.append((offset, continuation))
                return startSyncIfIdle(&state)
            }
            if let job { runSync(of: job) }
        }
    }

    /// Starts a background sync of everything appended so far, without waiting for it
    /// (`flush.messages`, `flush.ms`).
    func requestSync() {
        let job = state.withLock { state -> SyncJob? in
            guard state.syncedOffset < state.logEndOffset || state.rolledUnsynced != nil else { return nil }
            return startSyncIfIdle(&state)
        }
        if let job { runSync(of: job) }
    }

    func flushIfMessageThresholdReached() {
        let due = state.withLock { state in
            state.configuration.flushMessages.map { state.recordsSinceSync >= $0 } ?? false
        }
        if due { requestSync() }
    }

    /// For `flush.ms`: syncs when unsynced data is older than the setting.
    /// A log still waiting afterwards is watched again.
    func flushIfOlderThanConfigured(nowMs: Int64) {
        let due = state.withLock { state -> Bool? in
            guard let flushMs = state.configuration.flushMs, let oldest = state.oldestUnsyncedAppend else { return nil }
            return nowMs - oldest >= flushMs
        }
        guard let due else { return }
        if due { requestSync() }
        watch?.flushPending(self)
    }

    /// One fdatasync job: the segment rolled last if its sync is pending, then the active
    /// segment's `.log`, and the log end offset when it was chosen.
    struct SyncJob: @unchecked Sendable {
        var rolled: RolledSegment?
        var file: SegmentFile?
        var failure: LogStoreError?
        var target: Int64
    }

    /// Called under the lock. Everything below the log end at this moment is durable once the
    /// rolled segment (if its sync is still pending) and the active `.log` are synced; older
    /// segments were synced before. The active segment's indexes are not synced here;
    /// recovery rebuilds them.
    private func startSyncIfIdle(_ state: inout State) -> SyncJob? {
        guard !state.syncing, !state.closed else { return nil }
        state.syncing = true
        do {
            return SyncJob(rolled: state.rolledUnsynced, file: try state.active.log(), failure: nil, target: state.logEndOffset)
        } catch {
            return SyncJob(rolled: nil, file: nil, failure: error, target: state.logEndOffset)
        }
    }

    private func runSync(of job: SyncJob) {
        let target = job.target
        Self.syncQueue.async { [self] in
            let started = DispatchTime.now().uptimeNanoseconds
            var failure: (any Error)? = job.failure
            do {
                for file in job.rolled?.files ?? [] { try file.sync() }
                try job.file?.sync()
            } catch {
                failure = error
            }
            LogMetrics.flushes.increment()
            LogMetrics.flushLatency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
            var ready: [CheckedContinuation<Void, any Error>] = []
            var failed: [CheckedContinuation<Void, any Error>] = []
            let next: SyncJob? = state.withLock { state in
                state.syncing = false
                if let failure {
                    logger.error("fdatasync failed", metadata: ["partition": "\(topic)-\(partition)", "error": "\(failure)"])
                    failed = state.waiters.map(\.continuation)
                    state.waiters = []
                    return nil
                }
                if let rolled = job.rolled, state.rolledUnsynced === rolled { state.rolledUnsynced = nil }
                state.syncedOffset = max(state.syncedOffset, target)
                if state.syncedOffset >= state.logEndOffset {
                    state.recordsSinceSync = 0
                    state.oldestUnsyncedAppend = nil
                }
                let remaining = state.waiters.filter { $0.offset > state.syncedOffset }
                ready = state.waiters.filter { $0.offset <= state.syncedOffset }.map(\.continuation)
                state.waiters = remaining
                return remaining.isEmpty && state.rolledUnsynced == nil ? nil : startSyncIfIdle(&state)
            }
            for continuation in ready { continuation.resume() }
            for continuation in failed { continuation.resume(throwing: failure!) }
            if let next { runSync(of: next) }
        }
    }
}

/// A rolled segment whose files still need an fdatasync (a class: a finished job clears it
/// only if no later roll replaced it).
final class RolledSegment: Sendable {
    let files: [SegmentFile]

    init(files: [SegmentFile]) {
        self.files = files
    }
}
