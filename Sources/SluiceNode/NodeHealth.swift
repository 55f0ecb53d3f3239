import Synchronization

/// Where a node is in its life, as `/health` reports it.
public enum NodeState: String, Sendable {
    /// Logs are being opened and their tails validated; nothing is served yet.
    case recovering
    /// Every part is up.
    case serving
    /// A shutdown signal arrived; parts are draining and flushing.
    case stopping
}

/// The node's current state, shared between the parts that change it and the admin HTTP server
/// that reports it.
public final class NodeHealth: Sendable {
    private let state = Mutex(NodeState.recovering)

    public init() {}

    public var current: NodeState {
        state.withLock { $0 }
    }

    public func set(_ newState: NodeState) {
        state.withLock { $0 = newState }
    }
}
