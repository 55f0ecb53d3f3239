/// The Kafka error codes the broker answers with (the protocol guide's table, by name).
public enum KafkaErrorCode: Int16, Sendable {
    case unknownServerError = -1
    case none = 0
    case offsetOutOfRange = 1
    case corruptMessage = 2
    case unknownTopicOrPartition = 3
    case leaderNotAvailable = 5
    case notLeaderOrFollower = 6
    case requestTimedOut = 7
    case messageTooLarge = 10
    case invalidTopicException = 17
    case invalidRequiredAcks = 21
    case unsupportedVersion = 35
    case topicAlreadyExists = 36
    case invalidPartitions = 37
    case invalidReplicationFactor = 38
    case invalidReplicaAssignment = 39
    case invalidConfig = 40
    case invalidRequest = 42
    case outOfOrderSequenceNumber = 45
    case invalidProducerEpoch = 47
    case kafkaStorageError = 56
    case unsupportedCompressionType = 76
    case invalidRecord = 87
    case unknownTopicID = 100
}
