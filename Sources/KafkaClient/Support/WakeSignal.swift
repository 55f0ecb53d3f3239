#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import Synchronization

/// Wakes one waiting loop (the producer's sender, a consumer's fetcher). A signal sent while
/// nobody waits is kept, so a wake-up between the loop's check and its wait is never lost.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at once if a signal is pending, else at the next signal.
    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Signals after `delay` on `eventLoop` (a linger or backoff timer).
    @discardableResult
    func signal(after delay: TimeAmount, on eventLoop: EventLoop) -> Scheduled<Void> {
        eventLoop.scheduleTask(in: delay) { self.signal() }
    }
}

/// The clocks the client reads: a monotonic one for timers and a wall clock for timestamps.
enum Clocks {
    /// Nanoseconds of the monotonic clock.
    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Milliseconds since the Unix epoch (record timestamps).
    static func wallMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
