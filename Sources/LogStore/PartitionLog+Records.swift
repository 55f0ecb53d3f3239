import KafkaProtocol

extension PartitionLog {
    /// Calls `body` with every record from `offset` (default: the log start) to the current log
    /// end, in offset order, decompressing batches as needed; control batches are skipped. For
    /// replaying internal topics (`__consumer_offsets`, `_schemas`) at start.
    public func forEachRecord(from offset: Int64? = nil, _ body: (_ offset: Int64, _ record: Record) throws -> Void) throws {
        var next = offset ?? logStartOffset
        let end = logEndOffset
        while next < end {
            guard let slice = try read(from: next, maxBytes: 1 << 20).slices.first else { return }
            let bytes = try slice.bytes()
            var position = 0
            var advanced = false
            while position + RecordBatchHeader.size <= bytes.count {
                guard let header = bytes[position...].withUnsafeBytes({ RecordBatchHeader(parsing: $0) }),
                      position + header.totalSize <= bytes.count else { break }
                let batch = Array(bytes[position..<(position + header.totalSize)])
                for record in StoredBatchRecords.records(of: batch, header: header) ?? [] {
                    let recordOffset = header.baseOffset + Int64(record.offsetDelta)
                    if recordOffset >= next { try body(recordOffset, record) }
                }
                next = header.lastOffset + 1
                position += header.totalSize
                advanced = true
            }
            if !advanced { return }
        }
    }
}
