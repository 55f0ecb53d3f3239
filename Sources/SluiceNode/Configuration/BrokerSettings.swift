import Foundation

/// The config-file settings `sluice serve` knows, by their Kafka broker property names where
/// Kafka has one (so a `server.properties` line means the same thing), and `sluice.*` otherwise.
///
/// Broker-level log defaults (`log.retention.hours`, ...) are translated to the topic-level names
/// (`retention.ms`, ...) that ``NodeConfiguration/logDefaults`` and the log store use.
public struct BrokerSettings: Sendable {
    /// The property name.
    public let name: String
    /// One line for `docs/configuration.md` and error messages.
    public let summary: String
    let apply: @Sendable (String, inout NodeConfiguration) throws -> Void

    /// Every known setting by name.
    public static let byName: [String: BrokerSettings] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Every known setting.
    public static let all: [BrokerSettings] = [
        node("node.id", "this node's id") { value, config in
            config.nodeID = try int32(value, "node.id")
        },
        node("broker.id", "alias of node.id") { value, config in
            config.nodeID = try int32(value, "broker.id")
        },
        node("log.dirs", "the data directory (one directory)") { value, config in
            config.dataDirectory = try singleDirectory(value, "log.dirs")
        },
        node("log.dir", "alias of log.dirs") { value, config in
            config.dataDirectory = try singleDirectory(value, "log.dir")
        },
        node("listeners", "the Kafka listener, host:port or PLAINTEXT://host:port") { value, config in
            config.listen = try HostAndPort(parsing: value, setting: "listeners")
        },
        node("advertised.listeners", "the address given to clients") { value, config in
            config.advertise = try HostAndPort(parsing: value, setting: "advertised.listeners")
        },
        node("sluice.registry.listen", "the schema registry's HTTP address") { value, config in
            config.registryListen = try HostAndPort(parsing: value, setting: "sluice.registry.listen")
        },
        node("sluice.admin.listen", "health, metrics and admin HTTP address") { value, config in
            config.adminListen = try HostAndPort(parsing: value, setting: "sluice.admin.listen")
        },
        node("sluice.log.max.open.files", "segment file handles kept open at once") { value, config in
            guard let count = Int(value), count >= 16 else {
                throw ConfigurationError(setting: "sluice.log.max.open.files", value: value, reason: "expected a number >= 16")
            }
            config.maxOpenFiles = count
        },
        node("sluice.log.write.behind.bytes", "start writeback every this many bytes appended; 0 leaves it to the kernel") { value, config in
            guard let bytes = Int64(value), bytes >= 0 else {
                throw ConfigurationError(setting: "sluice.log.write.behind.bytes", value: value, reason: "expected a number of bytes >= 0")
            }
            config.writeBehind.chunkBytes = bytes
        },
        node("sluice.log.cached.tail.bytes", "newest bytes of a segment kept in the page cache; -1 keeps all") { value, config in
            guard let bytes = Int64(value), bytes >= -1 else {
                throw ConfigurationError(setting: "sluice.log.cached.tail.bytes", value: value, reason: "expected a number of bytes, or -1 to keep all")
            }
            config.writeBehind.cachedTailBytes = bytes
        },
        node("auto.create.topics.enable", "create unknown topics on Metadata requests") { value, config in
            guard let flag = Bool(value) else {
                throw ConfigurationError(setting: "auto.create.topics.enable", value: value, reason: "expected true or false")
            }
            config.broker.autoCreateTopics = flag
        },
        node("num.partitions", "partitions of auto-created topics") { value, config in
            config.broker.defaultPartitions = try positive(value, "num.partitions", max: 100_000)
        },
        node("default.replication.factor", "replication factor of auto-created topics") { value, config in
            config.broker.defaultReplicationFactor = Int16(try positive(value, "default.replication.factor", max: 32))
        },
        node("socket.request.max.bytes", "the largest request accepted") { value, config in
            config.broker.maxRequestBytes = Int(try positive(value, "socket.request.max.bytes", max: Int32.max))
        },
        node("connections.max.idle.ms", "idle connections are closed after this") { value, config in
            guard let ms = Int64(value), ms > 0 else {
                throw ConfigurationError(setting: "connections.max.idle.ms", value: value, reason: "expected a positive number")
            }
            config.broker.connectionsMaxIdleMs = ms
        },
        node("offsets.topic.num.partitions", "partitions of __consumer_offsets (fixed once created)") { value, config in
            config.broker.offsetsTopicPartitions = try positive(value, "offsets.topic.num.partitions", max: 1_000)
        },
        node("offsets.retention.minutes", "committed offsets of an empty group expire after this") { value, config in
            config.broker.offsetsRetentionMs = Int64(try positive(value, "offsets.retention.minutes", max: Int32.max)) * 60_000
        },
        node("offsets.retention.check.interval.ms", "how often expired offsets are removed") { value, config in
            config.broker.offsetsRetentionCheckIntervalMs = Int64(try positive(value, "offsets.retention.check.interval.ms", max: Int32.max))
        },
        node("group.initial.rebalance.delay.ms", "how long the first rebalance of an empty group waits for more members") { value, config in
            config.broker.groups.initialRebalanceDelayMs = Int64(try int32(value, "group.initial.rebalance.delay.ms"))
        },
        node("group.min.session.timeout.ms", "the shortest session timeout a member may ask for") { value, config in
            config.broker.groups.minSessionTimeoutMs = try positive(value, "group.min.session.timeout.ms", max: Int32.max)
        },
        node("group.max.session.timeout.ms", "the longest session timeout a member may ask for") { value, config in
            config.broker.groups.maxSessionTimeoutMs = try positive(value, "group.max.session.timeout.ms", max: Int32.max)
        },
        node("group.consumer.session.timeout.ms", "session timeout of consumer-protocol (KIP-848) group members") { value, config in
            config.broker.consumerGroups.sessionTimeoutMs = try positive(value, "group.consumer.session.timeout.ms", max: Int32.max)
        },
        node("group.consumer.heartbeat.interval.ms", "heartbeat interval given to consumer-protocol group members") { value, config in
            config.broker.consumerGroups.heartbeatIntervalMs = try positive(value, "group.consumer.heartbeat.interval.ms", max: Int32.max)
        },
        node("group.max.size", "the most members a group may have") { value, config in
            config.broker.groups.maxSize = Int(try positive(value, "group.max.size", max: Int32.max))
        },
        logDefault("log.segment.bytes", as: "segment.bytes"),
        logDefault("log.roll.ms", as: "segment.ms"),
        logDefault("log.roll.hours", as: "segment.ms", scale: 3_600_000),
        logDefault("log.retention.ms", as: "retention.ms"),
        logDefault("log.retention.minutes", as: "retention.ms", scale: 60_000),
        logDefault("log.retention.hours", as: "retention.ms", scale: 3_600_000),
        logDefault("log.retention.bytes", as: "retention.bytes"),
        logDefault("log.cleanup.policy", as: "cleanup.policy"),
        logDefault("log.cleaner.delete.retention.ms", as: "delete.retention.ms"),
        logDefault("log.cleaner.min.cleanable.ratio", as: "min.cleanable.dirty.ratio"),
        logDefault("log.index.interval.bytes", as: "index.interval.bytes"),
        logDefault("log.index.size.max.bytes", as: "segment.index.bytes"),
        logDefault("log.message.timestamp.type", as: "message.timestamp.type"),
        logDefault("log.flush.interval.messages", as: "flush.messages"),
        logDefault("log.flush.interval.ms", as: "flush.ms"),
        logDefault("message.max.bytes", as: "max.message.bytes"),
    ]

    private static func node(
        _ name: String, _ summary: String,
        _ apply: @escaping @Sendable (String, inout NodeConfiguration) throws -> Void
    ) -> BrokerSettings {
        BrokerSettings(name: name, summary: summary, apply: apply)
    }

    /// A broker default for a topic-level log setting; `scale` converts hours or minutes to ms.
    /// As in Kafka, the finer unit wins whatever the order (`log.retention.ms` over `.minutes`
    /// over `.hours`): a coarser form never replaces a value set by a finer one.
    private static func logDefault(_ name: String, as topicKey: String, scale: Int64 = 1) -> BrokerSettings {
        BrokerSettings(name: name, summary: "default of the topic setting \(topicKey)") { value, config in
            if let setBy = config.logDefaultScales[topicKey], setBy < scale { return }
            var converted = value
            if scale != 1 {
                guard let number = Int64(value) else {
                    throw ConfigurationError(setting: name, value: value, reason: "expected a whole number")
                }
                let (product, overflow) = number.multipliedReportingOverflow(by: scale)
                guard !overflow else {
                    throw ConfigurationError(setting: name, value: value, reason: "the value is too large")
                }
                converted = number < 0 ? "-1" : String(product)
            }
            config.logDefaults[topicKey] = converted
            config.logDefaultScales[topicKey] = scale
        }
    }

    private static func int32(_ value: String, _ name: String) throws -> Int32 {
        guard let number = Int32(value), number >= 0 else {
            throw ConfigurationError(setting: name, value: value, reason: "expected a number from 0 to 2147483647")
        }
        return number
    }

    private static func positive(_ value: String, _ name: String, max: Int32) throws -> Int32 {
        guard let number = Int32(value), number >= 1, number <= max else {
            throw ConfigurationError(setting: name, value: value, reason: "expected a number from 1 to \(max)")
        }
        return number
    }

    private static func singleDirectory(_ value: String, _ name: String) throws -> String {
        let directories = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard directories.count == 1, let directory = directories.first, !directory.isEmpty else {
            throw ConfigurationError(setting: name, value: value, reason: "Sluice takes exactly one data directory")
        }
        return directory
    }
}
