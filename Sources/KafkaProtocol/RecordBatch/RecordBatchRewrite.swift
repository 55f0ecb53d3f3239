/// The broker's in-place rewrites of a batch it appends. Only fields outside the CRC change,
/// except for LogAppendTime, which changes the attributes and maxTimestamp and so recomputes it.
public enum RecordBatchRewrite {
    /// Sets baseOffset and partitionLeaderEpoch (both outside the CRC).
    @inlinable
    public static func assign(baseOffset: Int64, leaderEpoch: Int32, in batch: UnsafeMutableRawBufferPointer) {
        batch.storeBigEndian(baseOffset, at: 0)
        batch.storeBigEndian(leaderEpoch, at: 12)
    }

    /// Marks the batch LogAppendTime with `timestamp` as its maxTimestamp and recomputes the CRC.
    public static func setLogAppendTime(_ timestamp: Int64, in batch: UnsafeMutableRawBufferPointer) {
        let attributes = Int16(bigEndian: batch.loadUnaligned(fromByteOffset: 21, as: Int16.self))
        batch.storeBigEndian(attributes | 0x08, at: 21)
        batch.storeBigEndian(timestamp, at: 35)
        recomputeCRC(in: batch)
    }

    /// `setLogAppendTime` on a copy of the batch's 61-byte header, the rest of the batch
    /// (`body`) unchanged: the CRC continues from the header's covered bytes into the body.
    public static func setLogAppendTime(_ timestamp: Int64, head: UnsafeMutableRawBufferPointer, body: UnsafeRawBufferPointer) {
        let attributes = Int16(bigEndian: head.loadUnaligned(fromByteOffset: 21, as: Int16.self))
        head.storeBigEndian(attributes | 0x08, at: 21)
        head.storeBigEndian(timestamp, at: 35)
        let covered = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(head)[RecordBatchHeader.crcCoveredFrom..<RecordBatchHeader.size])
        head.storeBigEndian(CRC32C.checksum(body, continuing: CRC32C.checksum(covered)), at: RecordBatchHeader.crcOffset)
    }

    /// Sets maxTimestamp (CreateTime) and recomputes the CRC.
    public static func setMaxTimestamp(_ timestamp: Int64, in batch: UnsafeMutableRawBufferPointer) {
        batch.storeBigEndian(timestamp, at: 35)
        recomputeCRC(in: batch)
    }

    /// Recomputes the CRC-32C over [21, end of batch).
    public static func recomputeCRC(in batch: UnsafeMutableRawBufferPointer) {
        let length = Int(Int32(bigEndian: batch.loadUnaligned(fromByteOffset: 8, as: Int32.self))) + RecordBatchHeader.logOverhead
        let covered = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(batch)[RecordBatchHeader.crcCoveredFrom..<length])
        batch.storeBigEndian(CRC32C.checksum(covered), at: RecordBatchHeader.crcOffset)
    }
}
