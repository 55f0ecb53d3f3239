import NIOCore
import Synchronization

/// Fetches waiting for data (long polling: `max.wait.ms`, `min.bytes`). An append wakes them;
/// each re-reads and answers if it now has enough, or when its wait is over.
final class FetchWaiters: Sendable {
    private let waiters = Mutex<[UInt64: @Sendable () -> Void]>([:])
    private let nextID = Mutex<UInt64>(0)

    /// Registers a wake-up; returns the id to remove it with.
    func add(_ wake: @escaping @Sendable () -> Void) -> UInt64 {
        let id = nextID.withLock { id in
            id += 1
            return id
        }
        waiters.withLock { $0[id] = wake }
        return id
    }

    func remove(_ id: UInt64) {
        _ = waiters.withLock { $0.removeValue(forKey: id) }
    }

    /// Called after appends.
    func wakeAll() {
        let all = waiters.withLock { Array($0.values) }
        for wake in all { wake() }
    }
}
