import Synchronization

/// A one-time signal: parts that must not serve before the logs are recovered wait on it.
public final class Readiness: Sendable {
    private let state = Mutex<(ready: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    /// Returns once ``markReady()`` was called (at once if it was already).
    public func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.ready { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    public func markReady() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.ready = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
