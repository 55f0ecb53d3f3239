/// A member of a KIP-848 consumer group as a server-side assignor sees it.
public struct AssignorMember: Sendable, Equatable {
    public var memberID: String
    /// Topic names the member subscribes to.
    public var subscribedTopics: Set<String>
    /// What the member owns now; assignors keep as much of it as balance allows.
    public var currentAssignment: Set<TopicPartition>

    public init(memberID: String, subscribedTopics: Set<String>, currentAssignment: Set<TopicPartition> = []) {
        self.memberID = memberID
        self.subscribedTopics = subscribedTopics
        self.currentAssignment = currentAssignment
    }
}

/// A server-side partition assignor of the new consumer group protocol (KIP-848), chosen by the
/// `group.remote.assignor` / `group.consumer.assignors` names clients use.
public protocol ServerAssignor: Sendable {
    /// The name clients ask for ("uniform", "range").
    var name: String { get }
    /// The target assignment: every partition of every subscribed topic goes to exactly one
    /// member that subscribes to its topic. `partitionCounts` holds each existing topic's count.
    func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: Set<TopicPartition>]
}

/// The assignors the coordinator offers, by name; the first is the default, as in Kafka.
public enum ServerAssignors {
    public static let all: [any ServerAssignor] = [UniformAssignor(), RangeAssignor()]

    public static func named(_ name: String) -> (any ServerAssignor)? {
        all.first { $0.name == name }
    }
}
