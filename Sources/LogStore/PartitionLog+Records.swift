import KafkaProtocol

extension PartitionLog {
    /// Calls `body` with the header of every batch of the active segment, reading only the
    /// headers (a few dozen bytes per batch, not the data): for rebuilding state at start.
    public func forEachActiveSegmentBatchHeader(_ body: (RecordBatchHeader) throws -> Void) throws {
        guard let segment = state.withLock({ $0.segments.last }) else { return }
        let end = segment.size
        var position: Int64 = 0
        while position + Int64(RecordBatchHeader.size) <= end {
            guard let header = try segment.header(at: position), header.totalSize > 0 else { return }
            try body(header)
            position += Int64(header.totalSize)
        }
    }

    /// Calls `body` with every stored batch (header and bytes, header included) from the one
    /// holding `offset` (default: the log start) to the current log end, in offset order.
    public func forEachBatch(from offset: Int64? = nil, _ body: (_ header: RecordBatchHeader, _ batch: ArraySlice<UInt8>) throws -> Void) throws {
        var next = max(offset ?? logStartOffset, logStartOffset)
        let end = logEndOffset
        while next < end {
            guard let slice = try read(from: next, maxBytes: 1 << 20).slices.first else { return }
            let bytes = try slice.bytes()
            var position = 0
            var advanced = false
            while position + RecordBatchHeader.size <= bytes.count {
                guard let header = bytes[position...].withUnsafeBytes({ RecordBatchHeader(parsing: $0) }),
                      position + header.totalSize <= bytes.count else { break }
                try body(header, bytes[position..<(position + header.totalSize)])
                next = header.lastOffset + 1
                position += header.totalSize
                advanced = true
            }
            if !advanced { return }
        }
    }

    /// Calls `body` with every record from `offset` (default: the log start) to the current log
    /// end, in offset order, decompressing batches as needed; control batches are skipped. For
    /// replaying internal topics (`__consumer_offsets`, `_schemas`) at start.
    public func forEachRecord(from offset: Int64? = nil, _ body: (_ offset: Int64, _ record: Record) throws -> Void) throws {
        let first = offset ?? logStartOffset
        try forEachBatch(from: first) { header, batch in
            for record in StoredBatchRecords.records(of: Array(batch), header: header) ?? [] {
                let recordOffset = header.baseOffset + Int64(record.offsetDelta)
                if recordOffset >= first { try body(recordOffset, record) }
            }
        }
    }
}
