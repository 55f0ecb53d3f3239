/// The two sparse indexes of a segment, with Kafka's file names and entry layouts (big-endian):
/// - `.index`: 8-byte entries, relative offset (uint32) -> byte position in `.log` (uint32),
///   one every `index.interval.bytes` of log;
/// - `.timeindex`: 12-byte entries, timestamp (int64) -> relative offset (uint32), the largest
///   timestamp seen so far at that point.
/// Entries live in memory for lookups and are appended to their files as they are added.
struct SparseIndex: Sendable {
    private(set) var offsets: [UInt32] = []
    private(set) var positions: [UInt32] = []
    private(set) var timestamps: [Int64] = []
    private(set) var timeOffsets: [UInt32] = []

    var entryCount: Int { offsets.count }
    var indexBytes: Int64 { Int64(offsets.count) * 8 }

    mutating func add(relativeOffset: UInt32, position: UInt32) {
        offsets.append(relativeOffset)
        positions.append(position)
    }

    mutating func addTime(_ timestamp: Int64, relativeOffset: UInt32) {
        timestamps.append(timestamp)
        timeOffsets.append(relativeOffset)
    }

    /// The file bytes of offset-index entries `start...`.
    func encodedOffsetEntries(from start: Int) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity((offsets.count - start) * 8)
        for index in start..<offsets.count {
            bytes.appendBigEndian(offsets[index])
            bytes.appendBigEndian(positions[index])
        }
        return bytes
    }

    /// The file bytes of time-index entries `start...`.
    func encodedTimeEntries(from start: Int) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity((timestamps.count - start) * 12)
        for index in start..<timestamps.count {
            bytes.appendBigEndian(timestamps[index])
            bytes.appendBigEndian(timeOffsets[index])
        }
        return bytes
    }

    /// The position of the last indexed batch starting at or before `relativeOffset`
    /// (0 when none is): scanning from there finds the batch that holds the offset.
    func position(atOrBefore relativeOffset: UInt32) -> Int64 {
        var low = 0
        var high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if offsets[middle] <= relativeOffset { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : Int64(positions[low - 1])
    }

    /// A relative offset from which to scan for the first record with timestamp >= `target`.
    func relativeOffset(forTimestamp target: Int64) -> UInt32 {
        // The last entry whose timestamp is below the target: every batch before it is older.
        var low = 0
        var high = timestamps.count
        while low < high {
            let middle = (low + high) / 2
            if timestamps[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : timeOffsets[low - 1]
    }

    /// Parses index files; nil when they are malformed (then they are rebuilt from the log).
    static func load(index: [UInt8], timeIndex: [UInt8], logSize: Int64) -> SparseIndex? {
        guard index.count % 8 == 0, timeIndex.count % 12 == 0 else { return nil }
        var result = SparseIndex()
        var previous: (UInt32, UInt32)? = nil
        for start in stride(from: 0, to: index.count, by: 8) {
            let offset = index.bigEndian(UInt32.self, at: start)
            let position = index.bigEndian(UInt32.self, at: start + 4)
            if let previous, offset <= previous.0 || position <= previous.1 { return nil }
            guard Int64(position) < logSize else { return nil }
            result.add(relativeOffset: offset, position: position)
            previous = (offset, position)
        }
        var previousTime: Int64 = .min
        for start in stride(from: 0, to: timeIndex.count, by: 12) {
            let timestamp = timeIndex.bigEndian(Int64.self, at: start)
            guard timestamp >= previousTime else { return nil }
            result.addTime(timestamp, relativeOffset: timeIndex.bigEndian(UInt32.self, at: start + 8))
            previousTime = timestamp
        }
        return result
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    func bigEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        withUnsafeBytes { T(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}
