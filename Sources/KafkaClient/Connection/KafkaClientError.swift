/// A Kafka error code as a broker answers it, with its protocol name and whether a retry can
/// succeed (the protocol guide's "retriable" column, for the codes a client meets).
public struct KafkaErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    public static let none = KafkaErrorCode(rawValue: 0)
    public static let unknownServerError = KafkaErrorCode(rawValue: -1)
    public static let offsetOutOfRange = KafkaErrorCode(rawValue: 1)
    public static let corruptMessage = KafkaErrorCode(rawValue: 2)
    public static let unknownTopicOrPartition = KafkaErrorCode(rawValue: 3)
    public static let leaderNotAvailable = KafkaErrorCode(rawValue: 5)
    public static let notLeaderOrFollower = KafkaErrorCode(rawValue: 6)
    public static let requestTimedOut = KafkaErrorCode(rawValue: 7)
    public static let messageTooLarge = KafkaErrorCode(rawValue: 10)
    public static let coordinatorLoadInProgress = KafkaErrorCode(rawValue: 14)
    public static let coordinatorNotAvailable = KafkaErrorCode(rawValue: 15)
    public static let notCoordinator = KafkaErrorCode(rawValue: 16)
    public static let notEnoughReplicas = KafkaErrorCode(rawValue: 19)
    public static let illegalGeneration = KafkaErrorCode(rawValue: 22)
    public static let unknownMemberID = KafkaErrorCode(rawValue: 25)
    public static let rebalanceInProgress = KafkaErrorCode(rawValue: 27)
    public static let unsupportedVersion = KafkaErrorCode(rawValue: 35)
    public static let topicAlreadyExists = KafkaErrorCode(rawValue: 36)
    public static let outOfOrderSequenceNumber = KafkaErrorCode(rawValue: 45)
    public static let duplicateSequenceNumber = KafkaErrorCode(rawValue: 46)
    public static let invalidProducerEpoch = KafkaErrorCode(rawValue: 47)
    public static let kafkaStorageError = KafkaErrorCode(rawValue: 56)
    public static let unknownProducerID = KafkaErrorCode(rawValue: 59)
    public static let groupIDNotFound = KafkaErrorCode(rawValue: 69)
    public static let fencedLeaderEpoch = KafkaErrorCode(rawValue: 74)
    public static let unknownLeaderEpoch = KafkaErrorCode(rawValue: 75)
    public static let memberIDRequired = KafkaErrorCode(rawValue: 79)
    public static let fencedInstanceID = KafkaErrorCode(rawValue: 82)
    public static let unstableOffsetCommit = KafkaErrorCode(rawValue: 88)
    public static let unknownTopicID = KafkaErrorCode(rawValue: 100)

    /// Whether the same request can succeed later (after a metadata refresh or a backoff).
    public var isRetriable: Bool {
        switch rawValue {
        case 2, 3, 5, 6, 7, 13, 14, 15, 16, 19, 20, 56, 74, 75, 88, 89, 100: true
        default: false
        }
    }

    /// Whether the error means the client's metadata (leaders, topics) is stale.
    public var invalidatesMetadata: Bool {
        switch rawValue {
        case 3, 5, 6, 74, 75, 100: true
        default: false
        }
    }

    public var description: String {
        let names: [Int16: String] = [
            -1: "UNKNOWN_SERVER_ERROR", 0: "NONE", 1: "OFFSET_OUT_OF_RANGE", 2: "CORRUPT_MESSAGE",
            3: "UNKNOWN_TOPIC_OR_PARTITION", 4: "INVALID_FETCH_SIZE", 5: "LEADER_NOT_AVAILABLE",
            6: "NOT_LEADER_OR_FOLLOWER", 7: "REQUEST_TIMED_OUT", 10: "MESSAGE_TOO_LARGE",
            14: "COORDINATOR_LOAD_IN_PROGRESS", 15: "COORDINATOR_NOT_AVAILABLE", 16: "NOT_COORDINATOR",
            17: "INVALID_TOPIC_EXCEPTION", 19: "NOT_ENOUGH_REPLICAS", 21: "INVALID_REQUIRED_ACKS",
            22: "ILLEGAL_GENERATION", 23: "INCONSISTENT_GROUP_PROTOCOL", 24: "INVALID_GROUP_ID",
            25: "UNKNOWN_MEMBER_ID", 26: "INVALID_SESSION_TIMEOUT", 27: "REBALANCE_IN_PROGRESS",
            35: "UNSUPPORTED_VERSION", 36: "TOPIC_ALREADY_EXISTS", 37: "INVALID_PARTITIONS",
            38: "INVALID_REPLICATION_FACTOR", 39: "INVALID_REPLICA_ASSIGNMENT", 40: "INVALID_CONFIG",
            42: "INVALID_REQUEST", 45: "OUT_OF_ORDER_SEQUENCE_NUMBER", 46: "DUPLICATE_SEQUENCE_NUMBER",
            47: "INVALID_PRODUCER_EPOCH", 56: "KAFKA_STORAGE_ERROR", 59: "UNKNOWN_PRODUCER_ID",
            68: "NON_EMPTY_GROUP", 69: "GROUP_ID_NOT_FOUND", 74: "FENCED_LEADER_EPOCH",
            75: "UNKNOWN_LEADER_EPOCH", 76: "UNSUPPORTED_COMPRESSION_TYPE", 79: "MEMBER_ID_REQUIRED",
            82: "FENCED_INSTANCE_ID", 86: "GROUP_SUBSCRIBED_TO_TOPIC", 87: "INVALID_RECORD",
            88: "UNSTABLE_OFFSET_COMMIT", 100: "UNKNOWN_TOPIC_ID",
        ]
        return "\(names[rawValue] ?? "ERROR") (\(rawValue))"
    }
}

/// Why a client operation failed. Every case says what was asked and of whom.
public enum KafkaClientError: Error, Sendable, CustomStringConvertible {
    /// The broker answered with an error code.
    case broker(KafkaErrorCode, String)
    /// No connection could be made or kept (`where` names the broker).
    case connection(String)
    /// No answer within the request timeout.
    case timedOut(String)
    /// The broker and this client share no version of an API.
    case unsupportedVersion(String)
    /// A response could not be decoded.
    case protocolViolation(String)
    /// The caller asked for something impossible (a configuration, a closed client...).
    case invalidArgument(String)
    /// The producer, consumer or admin client was closed.
    case closed(String)

    public var description: String {
        switch self {
        case .broker(let code, let context): "\(context): \(code)"
        case .connection(let message): "connection: \(message)"
        case .timedOut(let message): "timed out: \(message)"
        case .unsupportedVersion(let message): "unsupported version: \(message)"
        case .protocolViolation(let message): "protocol: \(message)"
        case .invalidArgument(let message): "invalid argument: \(message)"
        case .closed(let message): "closed: \(message)"
        }
    }

    /// The broker's error code, if this is a broker error.
    public var code: KafkaErrorCode? {
        if case .broker(let code, _) = self { return code }
        return nil
    }

    /// Whether retrying the operation can succeed.
    public var isRetriable: Bool {
        switch self {
        case .broker(let code, _): code.isRetriable
        case .connection, .timedOut: true
        default: false
        }
    }

    /// Throws `.broker` unless `code` is 0.
    static func check(_ code: Int16, _ context: @autoclosure () -> String) throws(KafkaClientError) {
        guard code != 0 else { return }
        throw .broker(KafkaErrorCode(rawValue: code), context())
    }
}
