import KafkaProtocol

/// A log operation that failed, with what failed and where.
public struct LogStoreError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// The batch failed validation; nothing of it was appended (Kafka: CORRUPT_MESSAGE).
        case corruptBatch
        /// The batch is larger than `max.message.bytes` (Kafka: MESSAGE_TOO_LARGE).
        case batchTooLarge
        /// The offset is before the log start or after the log end (Kafka: OFFSET_OUT_OF_RANGE).
        case offsetOutOfRange
        /// A file operation failed.
        case io
        /// The log was closed or deleted.
        case closed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func corrupt(_ error: RecordBatchError) -> LogStoreError {
        LogStoreError(.corruptBatch, error.description)
    }
}
