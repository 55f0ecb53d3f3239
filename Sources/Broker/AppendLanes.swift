import BrokerCore
import Dispatch
import LogStore
import NIOCore
import Synchronization

/// Where produce appends run: a few serial lanes off the event loops. A `write` into the page
/// cache can block for a long time (block allocation, writeback throttling), and an event loop
/// blocked in it stops reading every socket it owns; Kafka separates its network threads from
/// its request handler threads for the same reason. A partition always maps to the same lane,
/// so its appends keep the order in which requests arrived, and its idempotent-producer state
/// lives with that lane: an append and its sequence check never contend with other lanes.
final class AppendLanes: Sendable {
    final class Lane: Sendable {
        let queue: DispatchQueue
        /// Producer state of the partitions on this lane; touched only by jobs on `queue` (and
        /// by recovery before serving), so the lock is never contended on the hot path.
        let producerStates = Mutex<[PartitionKey: PartitionProducerState]>([:])

        init(index: Int) {
            queue = DispatchQueue(label: "sluice.append.\(index)")
        }
    }

    let lanes: [Lane]

    /// - Parameter count: the number of lanes, by default one per core (at least two).
    init(count: Int = max(2, System.coreCount)) {
        lanes = (0..<count).map(Lane.init(index:))
    }

    func lane(for key: PartitionKey) -> Lane {
        var hasher = Hasher()
        hasher.combine(key)
        return lanes[Int(UInt(bitPattern: hasher.finalize()) % UInt(lanes.count))]
    }

    /// Runs `work` on `lane` and completes the future with its result on `eventLoop`.
    func run<Result: Sendable>(on lane: Lane, eventLoop: any EventLoop, _ work: @escaping @Sendable () -> Result) -> EventLoopFuture<Result> {
        let promise = eventLoop.makePromise(of: Result.self)
        lane.queue.async { promise.succeed(work()) }
        return promise.futureResult
    }

    /// Replaces every lane's producer state (recovery, before the broker serves).
    func replaceProducerStates(_ states: [PartitionKey: PartitionProducerState]) {
        var byLane = [[PartitionKey: PartitionProducerState]](repeating: [:], count: lanes.count)
        for (key, state) in states {
            byLane[lanes.firstIndex { $0 === lane(for: key) }!][key] = state
        }
        for (lane, states) in zip(lanes, byLane) {
            lane.producerStates.withLock { $0 = states }
        }
    }
}
