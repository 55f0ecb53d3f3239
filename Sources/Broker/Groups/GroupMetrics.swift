import GroupCoordination
import Metrics

/// Consumer-group metrics for `/metrics`: rebalances (count and duration, per group) and
/// consumer lag per group and partition.
enum GroupMetrics {
    /// Notes a group's state after an event: a rebalance starts when the group enters
    /// PreparingRebalance and ends when it is Stable (or Empty) again.
    static func observe(_ machine: ClassicGroupStateMachine, started: inout [String: Int64], now: Int64) {
        switch machine.state {
        case .preparingRebalance, .completingRebalance:
            if started[machine.groupID] == nil {
                started[machine.groupID] = now
                Counter(label: "sluice_group_rebalances_total", dimensions: [("group", machine.groupID)]).increment()
            }
        case .stable, .empty, .dead:
            if let start = started.removeValue(forKey: machine.groupID) {
                Timer(label: "sluice_group_rebalance_duration_seconds", dimensions: [("group", machine.groupID)],
                      preferredDisplayUnit: .seconds).recordMilliseconds(now - start)
            }
        }
    }

    static func recordLag(group: String, topic: String, partition: Int32, lag: Int64) {
        Gauge(label: "sluice_consumer_group_lag",
              dimensions: [("group", group), ("topic", topic), ("partition", "\(partition)")]).record(lag)
    }
}
