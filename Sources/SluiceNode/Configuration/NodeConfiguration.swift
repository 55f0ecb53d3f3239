import Broker
import LogStore

/// Everything one `sluice serve` process needs to start: where it listens, where its data lives,
/// and the broker-wide defaults for every partition log.
///
/// Built from defaults, then a config file (Kafka broker property names where Kafka has one, see
/// ``BrokerSettings``), then command-line flags, each overriding the one before.
public struct NodeConfiguration: Sendable {
    /// `log.dirs`: the data directory (default `./data`).
    public var dataDirectory = "./data"
    /// `listeners`: the Kafka listener (default `127.0.0.1:9092`).
    public var listen = HostAndPort(host: "127.0.0.1", port: 9092)
    /// `advertised.listeners`: the address clients are told to connect to (default: `listen`).
    public var advertise: HostAndPort?
    /// `sluice.registry.listen`: the schema registry's HTTP address (default `127.0.0.1:8081`).
    public var registryListen = HostAndPort(host: "127.0.0.1", port: 8081)
    /// `sluice.admin.listen`: health, metrics and admin HTTP (default `127.0.0.1:9644`).
    public var adminListen = HostAndPort(host: "127.0.0.1", port: 9644)
    /// `node.id` (alias `broker.id`): this node's id (default 0).
    public var nodeID: Int32 = 0
    /// `sluice.log.max.open.files`: segment file handles kept open at once (default 1024); the
    /// least recently used are closed beyond it.
    public var maxOpenFiles = 1024
    /// `sluice.log.write.behind.bytes` and `sluice.log.cached.tail.bytes`: writeback starts every
    /// 2 MiB appended, and each segment keeps its newest 32 MiB in the page cache (see
    /// ``WriteBehind``).
    public var writeBehind = WriteBehind.default
    /// Topic-level log settings (`segment.bytes`, `retention.ms`, ...) given as broker defaults
    /// (`log.segment.bytes`, `log.retention.hours`, ...), translated to the topic-level names.
    public var logDefaults: [String: String] = [:]
    /// Broker settings: `auto.create.topics.enable`, `num.partitions`,
    /// `default.replication.factor`, `socket.request.max.bytes`, `connections.max.idle.ms`.
    public var broker = BrokerConfiguration()
    /// For each of `logDefaults`, the unit (in ms) of the form that set it, so that a finer form
    /// keeps precedence (see ``BrokerSettings``).
    var logDefaultScales: [String: Int64] = [:]

    public init() {}

    /// The address given to clients: `advertise`, or `listen` when none is set.
    public var advertisedAddress: HostAndPort { advertise ?? listen }

    /// Applies config-file entries in order.
    /// - Throws: ``ConfigurationError`` for an unknown key (naming it and its line) or a bad value.
    public mutating func apply(_ entries: [PropertiesEntry]) throws {
        for entry in entries {
            guard let setting = BrokerSettings.byName[entry.key] else {
                throw ConfigurationError(
                    setting: entry.key, value: nil,
                    reason: "unknown setting (see docs/configuration.md for the settings Sluice knows)",
                    location: entry.location)
            }
            do {
                try setting.apply(entry.value, &self)
            } catch var error as ConfigurationError {
                error.location = entry.location
                throw error
            }
        }
    }
}
