/// Decoded records in arrays of at most `chunkSize` (the consumer's `max.poll.records`). Arrays
/// are what moves between the decoder, a partition's buffer and `poll`, and a Swift array handed
/// on whole is moved, while a part of one is copied record by record (each copy retains the
/// record's key, value and headers). So a poll mostly takes whole chunks without copying, and a
/// large fetch is never one array that reallocates, copying everything, each time it grows.
struct RecordChunks {
    let chunkSize: Int
    private(set) var chunks: [[ConsumerRecord]] = []

    init(chunkSize: Int = .max) {
        precondition(chunkSize > 0, "a chunk holds at least one record")
        self.chunkSize = chunkSize
    }

    /// Every record in order (tests and small callers; copies).
    var records: [ConsumerRecord] { chunks.flatMap { $0 } }

    mutating func append(_ record: ConsumerRecord) {
        // A new chunk grows by doubling, not reserved at its full size: a fetch of a few
        // records (a consumer at the tail of many partitions) keeps a few records' memory.
        if chunks.isEmpty || chunks[chunks.count - 1].count >= chunkSize { chunks.append([]) }
        chunks[chunks.count - 1].append(record)
    }
}

/// A partition's fetched records waiting for `poll`, oldest first.
struct RecordQueue {
    private var chunks: [[ConsumerRecord]] = []
    /// How many records of `chunks[0]` were taken already.
    private var head = 0
    private(set) var count = 0
    /// The approximate memory the records hold (payloads plus a fixed overhead each), for the
    /// prefetch limit.
    private(set) var bytes = 0

    var isEmpty: Bool { count == 0 }

    /// The approximate memory of `records`, as ``bytes`` counts it.
    static func size(of records: some Sequence<ConsumerRecord>) -> Int {
        records.reduce(0) { $0 + ($1.value?.count ?? 0) + ($1.key?.count ?? 0) + 64 }
    }

    mutating func append(_ fetched: RecordChunks) {
        for chunk in fetched.chunks where !chunk.isEmpty {
            bytes += Self.size(of: chunk)
            count += chunk.count
            chunks.append(chunk)
        }
    }

    /// Moves up to `limit` of the oldest records to the end of `taken`; a whole chunk that
    /// `taken` can hold, while it is still empty, is moved rather than copied.
    mutating func take(upTo limit: Int, into taken: inout [ConsumerRecord]) {
        var wanted = limit
        while wanted > 0, !chunks.isEmpty {
            let available = chunks[0].count - head
            let moved = min(available, wanted)
            if head == 0, moved == available, taken.isEmpty {
                taken = chunks.removeFirst()
                bytes -= Self.size(of: taken)
            } else {
                let slice = chunks[0][head..<(head + moved)]
                taken += slice
                bytes -= Self.size(of: slice)
                head += moved
                if head == chunks[0].count {
                    chunks.removeFirst()
                    head = 0
                }
            }
            count -= moved
            wanted -= moved
        }
        if count == 0 { bytes = 0 }
    }
}
