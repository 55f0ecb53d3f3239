import Foundation

/// Retention (`retention.ms`, `retention.bytes`) and DeleteRecords: whole oldest segments go,
/// never the active one, and the log start offset moves forward and is persisted.
extension PartitionLog {
    /// Deletes the oldest segments that retention no longer keeps.
    /// - Returns: the number of segments deleted.
    @discardableResult
    public func applyRetention(nowMs: Int64) throws(LogStoreError) -> Int {
        try state.withLock { (state) throws(LogStoreError) -> Int in
            guard state.configuration.cleanupPolicy.contains(.delete) else { return 0 }
            var removed = 0
            var size = state.size
            while state.segments.count > 1 {
                let oldest = state.segments[0]
                let expired = state.configuration.retentionMs >= 0 && oldest.maxTimestamp >= 0
                    && nowMs - oldest.maxTimestamp > state.configuration.retentionMs
                let tooBig = state.configuration.retentionBytes >= 0 && size - oldest.size >= state.configuration.retentionBytes
                guard expired || tooBig else { break }
                state.segments.removeFirst()
                oldest.deleteFiles()
                size -= oldest.size
                removed += 1
                state.logStartOffset = max(state.logStartOffset, state.segments[0].baseOffset)
            }
            if removed > 0 { try persistLogStartOffset(state.logStartOffset) }
            return removed
        }
    }

    /// DeleteRecords: moves the log start offset to `offset` (at most the log end) and deletes
    /// the segments entirely before it.
    /// - Returns: the new log start offset.
    @discardableResult
    public func deleteRecords(before offset: Int64) throws(LogStoreError) -> Int64 {
        try state.withLock { (state) throws(LogStoreError) -> Int64 in
            guard offset <= state.logEndOffset, offset >= 0 else {
                throw LogStoreError(.offsetOutOfRange, "cannot delete records before \(offset): the log of \(topic)-\(partition) ends at \(state.logEndOffset)")
            }
            guard offset > state.logStartOffset else { return state.logStartOffset }
            state.logStartOffset = offset
            while state.segments.count > 1, state.segments[1].baseOffset <= offset {
                state.segments.removeFirst().deleteFiles()
            }
            try persistLogStartOffset(offset)
            return offset
        }
    }

    static let logStartOffsetFile = "log-start-offset"

    /// Writes the log start offset to a temporary file and renames it into place.
    func persistLogStartOffset(_ offset: Int64) throws(LogStoreError) {
        let path = (directory as NSString).appendingPathComponent(Self.logStartOffsetFile)
        let temporary = path + ".tmp"
        let file = try SegmentFile(path: temporary, create: true)
        let text = Array("\(offset)\n".utf8)
        try file.truncate(to: 0)
        try file.write(text, at: 0)
        try file.sync()
        guard rename(temporary, path) == 0 else { throw SegmentFile.error("rename", temporary) }
    }

    static func readLogStartOffset(directory: String) -> Int64? {
        let path = (directory as NSString).appendingPathComponent(logStartOffsetFile)
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
