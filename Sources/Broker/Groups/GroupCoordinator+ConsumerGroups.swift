import GroupCoordination
import NIOCore
import NIOPosix

/// The new consumer rebalance protocol (KIP-848) on the coordinator: one
/// `ConsumerGroupStateMachine` per group, sessions expired by a once-a-second sweep.
extension GroupCoordinator {
    /// Runs one ConsumerGroupHeartbeat.
    func consumerHeartbeat(group id: String, _ input: ConsumerGroupHeartbeatInput,
                           partitionCounts: [String: Int32]) -> ConsumerGroupHeartbeatOutcome {
        state.withLock { state in
            if let classic = state.groups[id], !classic.members.isEmpty {
                return ConsumerGroupHeartbeatOutcome(
                    error: .inconsistentGroupProtocol,
                    errorMessage: "group \(id) is a classic group with members; it cannot use the consumer protocol",
                    memberID: input.memberID, memberEpoch: input.memberEpoch)
            }
            var machine = state.consumerGroups[id] ?? ConsumerGroupStateMachine(groupID: id, configuration: consumerConfiguration)
            let outcome = machine.heartbeat(input, newMemberID: Self.newConsumerMemberID(),
                                            partitionCounts: partitionCounts, nowMs: Broker.nowMs())
            state.consumerGroups[id] = machine
            return outcome
        }
    }

    /// A member id for a v0 client that joins without one (v1 clients make their own UUID).
    static func newConsumerMemberID() -> String {
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        return bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    func consumerGroup(_ id: String) -> ConsumerGroupStateMachine? {
        state.withLock { $0.consumerGroups[id] }
    }

    /// Expires silent members of every consumer group; runs once a second.
    func startConsumerGroupSessions() {
        MultiThreadedEventLoopGroup.singleton.next().scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in
            let now = Broker.nowMs()
            state.withLock { state in
                for id in state.consumerGroups.keys {
                    guard let deadline = state.consumerGroups[id]?.nextDeadline, deadline <= now else { continue }
                    let expired = state.consumerGroups[id]?.expireSessions(nowMs: now) ?? []
                    if !expired.isEmpty {
                        logger.info("consumer group members expired", metadata: ["group": "\(id)", "members": "\(expired)"])
                    }
                }
            }
        }
    }
}
