import BrokerCore
import Compression
import KafkaProtocol
import Metrics
import NIOCore

/// Broker-side schema validation on the produce path (DESIGN §2.10): a batch for a topic with
/// `confluent.{key,value}.schema.validation=true` is read record by record (decompressed if
/// needed) and checked by BrokerCore's ``RecordSchemaValidator`` against the node's
/// ``SchemaCatalog``. One bad record refuses the whole batch with INVALID_RECORD (87), an error
/// message and, from Produce v8, one record error per bad record. Topics without validation
/// pay one config lookup per batch and nothing per record.
extension Broker {
    /// Why a batch was refused.
    struct SchemaRejection {
        var errorCode: Int16
        var message: String
        /// Batch index and message of each refused record.
        var recordErrors: [(index: Int32, message: String)]
    }

    /// Decompressed records are capped like stored ones.
    static let maxValidatedRecordsSize = 64 << 20

    /// Checks a batch for a validating topic; nil when every record passes.
    func schemaRejection(_ batch: ByteBuffer, header: RecordBatchHeader, topic: String, rules: TopicSchemaValidation) -> SchemaRejection? {
        var validator = RecordSchemaValidator(topic: topic, rules: rules, catalog: schemaCatalog ?? NoSchemaCatalog())
        var violations: [SchemaViolation] = []
        guard let region = Self.recordsRegion(of: batch, header: header),
              RecordFieldScanner.scan(region, count: header.recordsCount, { fields, index in
                  validator.check(fields, index: index, into: &violations)
              }) else {
            return SchemaRejection(errorCode: KafkaErrorCode.corruptMessage.rawValue,
                                   message: "the records of the batch cannot be read to validate their schemas", recordErrors: [])
        }
        guard let first = violations.first else { return nil }

        var counts: [String: Int] = [:]
        for violation in violations { counts["\(violation.field.rawValue)\u{0}\(violation.reason.rawValue)", default: 0] += 1 }
        for (labels, count) in counts {
            let parts = labels.split(separator: "\u{0}").map(String.init)
            SchemaValidationMetrics.rejectedRecords(topic: topic, field: parts[0], reason: parts[1]).increment(by: count)
        }
        SchemaValidationMetrics.rejectedBatches(topic: topic).increment()

        let badRecords = Dictionary(grouping: violations, by: \.recordIndex)
        let more = violations.count > 1 ? " (and \(violations.count - 1) more: see the record errors)" : ""
        let message = "\(badRecords.count) of \(header.recordsCount) records fail schema validation on topic '\(topic)'; \(first)\(more)"
        let recordErrors = badRecords.keys.sorted().map { index in
            (Int32(index), badRecords[index]!.map(\.message).joined(separator: "; "))
        }
        return SchemaRejection(errorCode: KafkaErrorCode.invalidRecord.rawValue, message: message, recordErrors: recordErrors)
    }

    /// The batch's records region, decompressed when needed; nil when it cannot be read.
    static func recordsRegion(of batch: ByteBuffer, header: RecordBatchHeader) -> [UInt8]? {
        guard batch.readableBytes >= header.totalSize, header.totalSize >= RecordBatchHeader.size,
              let region = batch.getBytes(at: batch.readerIndex + RecordBatchHeader.size, length: header.totalSize - RecordBatchHeader.size),
              let codec = try? CompressionCodec(batchAttributes: header.attributes) else { return nil }
        return codec == .none ? region : try? codec.decompress(region, maxOutputSize: maxValidatedRecordsSize)
    }
}

/// The catalog of a broker without a schema registry: validating topics refuse every framed
/// record, as Redpanda answers INVALID_RECORD when validation is on and the registry is off.
struct NoSchemaCatalog: SchemaCatalog {
    var isReady: Bool { false }
    func schema(id: Int32) -> CatalogSchema? { nil }
    func schemaID(guid: SchemaGUID) -> Int32? { nil }
    func payloadChecker(schemaID id: Int32) -> (any PayloadChecker)? { nil }
}

/// Rejections by topic, field and reason (`sluice_validation_rejected_records_total`), and
/// refused batches by topic. Counted per batch, never per accepted record.
enum SchemaValidationMetrics {
    static func rejectedRecords(topic: String, field: String, reason: String) -> Counter {
        Counter(label: "sluice_validation_rejected_records_total", dimensions: [("topic", topic), ("field", field), ("reason", reason)])
    }

    static func rejectedBatches(topic: String) -> Counter {
        Counter(label: "sluice_validation_rejected_batches_total", dimensions: [("topic", topic)])
    }
}
