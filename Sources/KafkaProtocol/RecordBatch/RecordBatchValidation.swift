/// Why a batch's framing is invalid: which check failed, at which byte of the input.
public struct RecordBatchError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// Too short, or batchLength disagrees with the bytes present.
        case invalidLength
        case unsupportedMagic
        case crcMismatch
        /// recordsCount <= 0 or lastOffsetDelta + 1 != recordsCount.
        case invalidRecordCount
        /// More than one batch where exactly one is required.
        case trailingBytes
    }

    public var code: Code
    /// Byte position in the input where the failing batch starts.
    public var position: Int
    public var message: String

    public var description: String { "\(message) (batch at byte \(position))" }
}

extension RecordBatchHeader {
    /// Validates the framing of the batch at the start of `bytes`: lengths, magic 2, CRC-32C over
    /// [21, end), and the record count. Nothing is decompressed: the CRC covers the compressed
    /// bytes.
    /// - Parameters:
    ///   - position: where `bytes` starts in the larger input, for error messages.
    ///   - verifyCRC: false only where the bytes were checked before (e.g. reading back a
    ///     segment that was validated on append and is known intact).
    ///   - requireDenseOffsets: true for producer batches (`lastOffsetDelta + 1 == recordsCount`);
    ///     false for stored batches, where compaction may have removed records but kept the
    ///     batch's offset range.
    /// - Returns: the header; the batch occupies `totalSize` bytes of `bytes`.
    public static func validate(
        _ bytes: UnsafeRawBufferPointer, position: Int = 0, verifyCRC: Bool = true, requireDenseOffsets: Bool = true
    ) throws(RecordBatchError) -> RecordBatchHeader {
        guard let header = RecordBatchHeader(parsing: bytes) else {
            throw RecordBatchError(code: .invalidLength, position: position,
                                   message: "record batch needs at least \(size) bytes, \(bytes.count) present")
        }
        guard header.magic == 2 else {
            throw RecordBatchError(code: .unsupportedMagic, position: position,
                                   message: "record batch magic is \(header.magic); only magic 2 (RecordBatch v2) is supported")
        }
        guard header.batchLength >= Int32(size - logOverhead) else {
            throw RecordBatchError(code: .invalidLength, position: position,
                                   message: "batchLength \(header.batchLength) is below the \(size - logOverhead) bytes of the header")
        }
        guard header.totalSize <= bytes.count else {
            throw RecordBatchError(code: .invalidLength, position: position,
                                   message: "batchLength \(header.batchLength) needs \(header.totalSize) bytes, \(bytes.count) present")
        }
        let dense = Int64(header.lastOffsetDelta) + 1 == Int64(header.recordsCount)
        let plausible = header.lastOffsetDelta >= 0 && Int64(header.recordsCount) <= Int64(header.lastOffsetDelta) + 1
        guard header.recordsCount > 0, requireDenseOffsets ? dense : plausible else {
            throw RecordBatchError(code: .invalidRecordCount, position: position,
                                   message: "inconsistent batch offset range: recordsCount \(header.recordsCount), lastOffsetDelta \(header.lastOffsetDelta)")
        }
        if verifyCRC {
            let covered = UnsafeRawBufferPointer(rebasing: bytes[crcCoveredFrom..<header.totalSize])
            let computed = CRC32C.checksum(covered)
            guard computed == header.crc else {
                throw RecordBatchError(code: .crcMismatch, position: position,
                                       message: "CRC-32C mismatch: batch says \(hex(header.crc)), bytes give \(hex(computed))")
            }
        }
        return header
    }

    /// Validates that `bytes` holds exactly one batch (Produce's rule for each partition).
    public static func validateSingleBatch(_ bytes: UnsafeRawBufferPointer) throws(RecordBatchError) -> RecordBatchHeader {
        let header = try validate(bytes)
        guard header.totalSize == bytes.count else {
            throw RecordBatchError(code: .trailingBytes, position: header.totalSize,
                                   message: "\(bytes.count - header.totalSize) bytes follow the batch; exactly one batch is allowed")
        }
        return header
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
