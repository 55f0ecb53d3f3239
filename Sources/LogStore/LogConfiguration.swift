import Foundation

/// The settings of one partition log, by Kafka's topic-level names (the broker-level
/// `log.*` names are translated by the node). Defaults are Kafka's.
public struct LogConfiguration: Sendable, Equatable {
    /// `segment.bytes` (1 GiB): roll to a new segment beyond this size.
    public var segmentBytes: Int64 = 1 << 30
    /// `segment.ms` (7 days): roll a segment this old even if it is not full.
    public var segmentMs: Int64 = 7 * 24 * 3_600_000
    /// `retention.ms` (7 days, -1 forever): delete whole segments whose newest record is older.
    public var retentionMs: Int64 = 7 * 24 * 3_600_000
    /// `retention.bytes` (-1, no limit): delete oldest segments while the log is larger.
    public var retentionBytes: Int64 = -1
    /// `cleanup.policy` (`delete`): `delete`, `compact` or `compact,delete`.
    public var cleanupPolicy: CleanupPolicy = .delete
    /// `delete.retention.ms` (1 day): how long compaction keeps tombstones.
    public var deleteRetentionMs: Int64 = 24 * 3_600_000
    /// `min.cleanable.dirty.ratio` (0.5): compact once this share of the log is uncompacted.
    public var minCleanableDirtyRatio: Double = 0.5
    /// `index.interval.bytes` (4096): bytes between two sparse offset-index entries.
    public var indexIntervalBytes: Int64 = 4096
    /// `segment.index.bytes` (10 MiB): an index this large rolls the segment.
    public var segmentIndexBytes: Int64 = 10 * 1024 * 1024
    /// `message.timestamp.type` (`CreateTime`): `LogAppendTime` stamps batches on append.
    public var logAppendTime = false
    /// `max.message.bytes` (1048588): the largest batch accepted.
    public var maxMessageBytes: Int64 = 1_048_588
    /// `flush.messages` (none): fdatasync after this many records even for acks=0/1.
    public var flushMessages: Int64?
    /// `flush.ms` (none): fdatasync data older than this even for acks=0/1.
    public var flushMs: Int64?

    /// Kafka's cleanup policies.
    public struct CleanupPolicy: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let delete = CleanupPolicy(rawValue: 1)
        public static let compact = CleanupPolicy(rawValue: 2)
    }

    /// The topic-level names this type understands.
    public static let keys: Set<String> = [
        "segment.bytes", "segment.ms", "retention.ms", "retention.bytes", "cleanup.policy",
        "delete.retention.ms", "min.cleanable.dirty.ratio", "index.interval.bytes",
        "segment.index.bytes", "message.timestamp.type", "max.message.bytes", "flush.messages", "flush.ms",
    ]

    public init() {}

    /// Every setting by its topic-level name, as Kafka spells the values (DescribeConfigs).
    public var properties: [String: String] {
        var policy: [String] = []
        if cleanupPolicy.contains(.compact) { policy.append("compact") }
        if cleanupPolicy.contains(.delete) { policy.append("delete") }
        return [
            "segment.bytes": "\(segmentBytes)", "segment.ms": "\(segmentMs)", "retention.ms": "\(retentionMs)",
            "retention.bytes": "\(retentionBytes)", "cleanup.policy": policy.joined(separator: ","),
            "delete.retention.ms": "\(deleteRetentionMs)", "min.cleanable.dirty.ratio": "\(minCleanableDirtyRatio)",
            "index.interval.bytes": "\(indexIntervalBytes)", "segment.index.bytes": "\(segmentIndexBytes)",
            "message.timestamp.type": logAppendTime ? "LogAppendTime" : "CreateTime",
            "max.message.bytes": "\(maxMessageBytes)",
            // Kafka's "never" for the flush settings is Long.MAX_VALUE.
            "flush.messages": "\(flushMessages ?? Int64.max)", "flush.ms": "\(flushMs ?? Int64.max)",
        ]
    }

    /// `defaults` with `properties` applied.
    /// - Throws: ``LogConfigurationError`` naming the key and value that are unknown or invalid.
    public init(properties: [String: String], defaults: LogConfiguration = LogConfiguration()) throws(LogConfigurationError) {
        self = defaults
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            try set(key, value)
        }
    }

    private mutating func set(_ key: String, _ value: String) throws(LogConfigurationError) {
        func number(_ range: ClosedRange<Int64>) throws(LogConfigurationError) -> Int64 {
            guard let parsed = Int64(value.trimmingCharacters(in: .whitespaces)), range.contains(parsed) else {
                throw LogConfigurationError(key: key, value: value, reason: "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return parsed
        }
        switch key {
        case "segment.bytes": segmentBytes = try number(14...Int64(Int32.max))
        case "segment.ms": segmentMs = try number(1...Int64.max)
        case "retention.ms": retentionMs = try number(-1...Int64.max)
        case "retention.bytes": retentionBytes = try number(-1...Int64.max)
        case "delete.retention.ms": deleteRetentionMs = try number(0...Int64.max)
        case "index.interval.bytes": indexIntervalBytes = try number(0...Int64(Int32.max))
        case "segment.index.bytes": segmentIndexBytes = try number(8...Int64(Int32.max))
        case "max.message.bytes": maxMessageBytes = try number(0...Int64(Int32.max))
        case "flush.messages":
            let value = try number(1...Int64.max)
            flushMessages = value == Int64.max ? nil : value
        case "flush.ms":
            let value = try number(0...Int64.max)
            flushMs = value == Int64.max ? nil : value
        case "min.cleanable.dirty.ratio":
            guard let ratio = Double(value), (0...1).contains(ratio) else {
                throw LogConfigurationError(key: key, value: value, reason: "expected a number from 0 to 1")
            }
            minCleanableDirtyRatio = ratio
        case "message.timestamp.type":
            switch value {
            case "CreateTime": logAppendTime = false
            case "LogAppendTime": logAppendTime = true
            default: throw LogConfigurationError(key: key, value: value, reason: "expected CreateTime or LogAppendTime")
            }
        case "cleanup.policy":
            var policy: CleanupPolicy = []
            for part in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                switch part {
                case "delete": policy.insert(.delete)
                case "compact": policy.insert(.compact)
                default: throw LogConfigurationError(key: key, value: value, reason: "expected delete, compact or compact,delete")
                }
            }
            guard !policy.isEmpty else {
                throw LogConfigurationError(key: key, value: value, reason: "expected delete, compact or compact,delete")
            }
            cleanupPolicy = policy
        default:
            throw LogConfigurationError(key: key, value: value, reason: "unknown log setting")
        }
    }
}

/// An unknown or invalid log setting.
public struct LogConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    public var key: String
    public var value: String
    public var reason: String

    public init(key: String, value: String, reason: String) {
        self.key = key
        self.value = value
        self.reason = reason
    }

    public var description: String { "invalid value '\(value)' for '\(key)': \(reason)" }
}
