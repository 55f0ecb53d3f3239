import NIOCore

/// The value of an offset-commit record in `__consumer_offsets` (Kafka's `OffsetCommitValue`).
///
/// | version | fields |
/// |---|---|
/// | 0 | offset int64, metadata string, commitTimestamp int64 |
/// | 1 | offset, metadata, commitTimestamp, expireTimestamp int64 |
/// | 2 | offset, metadata, commitTimestamp |
/// | 3 | offset, leaderEpoch int32, metadata, commitTimestamp |
///
/// Sluice writes version 3 (Kafka's choice since 2.1) and, like Kafka, version 1 only to keep an
/// explicit expire timestamp from old OffsetCommit requests.
public struct OffsetCommitValue: Sendable, Equatable {
    public var offset: Int64
    /// -1 when the client sent none.
    public var leaderEpoch: Int32
    /// The client's metadata string, kept byte for byte.
    public var metadata: String
    public var commitTimestamp: Int64
    public var expireTimestamp: Int64?

    public init(offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "", commitTimestamp: Int64, expireTimestamp: Int64? = nil) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestamp = commitTimestamp
        self.expireTimestamp = expireTimestamp
    }

    public func encode(into buffer: inout ByteBuffer) {
        if let expireTimestamp {
            buffer.writeInteger(Int16(1))
            buffer.writeInteger(offset)
            buffer.writeShortString(metadata)
            buffer.writeInteger(commitTimestamp)
            buffer.writeInteger(expireTimestamp)
        } else {
            buffer.writeInteger(Int16(3))
            buffer.writeInteger(offset)
            buffer.writeInteger(leaderEpoch)
            buffer.writeShortString(metadata)
            buffer.writeInteger(commitTimestamp)
        }
    }

    public init(from buffer: inout ByteBuffer) throws {
        let version = try buffer.readRequired(Int16.self, "offset commit value version")
        guard (0...3).contains(version) else {
            throw ConsumerOffsetsFormatError("unsupported offset commit value version \(version)")
        }
        offset = try buffer.readRequired(Int64.self, "offset")
        leaderEpoch = version >= 3 ? try buffer.readRequired(Int32.self, "leader epoch") : -1
        metadata = try buffer.readShortString("metadata")
        commitTimestamp = try buffer.readRequired(Int64.self, "commit timestamp")
        expireTimestamp = version == 1 ? try buffer.readRequired(Int64.self, "expire timestamp") : nil
    }
}
