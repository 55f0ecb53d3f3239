import Synchronization

/// Where a node is in its life, as `/health` reports it.
public enum NodeState: String, Sendable {
    /// Logs are being opened and their tails validated, or a part (the Kafka listener, the
    /// registry replaying `_schemas`) is not up yet.
    case recovering
    /// Every part is up.
    case serving
    /// A shutdown signal arrived; parts are draining and flushing.
    case stopping
}

/// The node's current state, shared between the parts that change it and the admin HTTP server
/// that reports it. The node serves once every part named at creation has said it is ready.
public final class NodeHealth: Sendable {
    private let state: Mutex<(pending: Set<String>, stopping: Bool)>

    /// - Parameter parts: the parts that must be ready before the node reports serving.
    public init(parts: Set<String> = ["kafka"]) {
        state = Mutex((parts, false))
    }

    public var current: NodeState {
        state.withLock { $0.stopping ? .stopping : $0.pending.isEmpty ? .serving : .recovering }
    }

    /// The parts not ready yet, sorted.
    public var pendingParts: [String] {
        state.withLock { $0.pending.sorted() }
    }

    public func ready(_ part: String) {
        state.withLock { _ = $0.pending.remove(part) }
    }

    public func stopping() {
        state.withLock { $0.stopping = true }
    }
}
