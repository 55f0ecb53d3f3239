import NIOCore

/// The key of a record in the compacted `__consumer_offsets` topic, in Kafka's own format so an
/// operator's tools (and a topic copied from Kafka) read the same thing:
///
/// - versions 0 and 1, an offset commit: `int16 version, string group, string topic, int32 partition`;
/// - version 2, a group's metadata: `int16 version, string group`.
///
/// Strings are int16-length-prefixed UTF-8. A null value (tombstone) deletes the key.
public enum ConsumerOffsetsKey: Sendable, Hashable {
    case offsetCommit(group: String, topic: String, partition: Int32)
    case groupMetadata(group: String)

    /// The group the record belongs to; it decides the `__consumer_offsets` partition.
    public var group: String {
        switch self {
        case .offsetCommit(let group, _, _), .groupMetadata(let group): group
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .offsetCommit(let group, let topic, let partition):
            buffer.writeInteger(Int16(1))
            buffer.writeShortString(group)
            buffer.writeShortString(topic)
            buffer.writeInteger(partition)
        case .groupMetadata(let group):
            buffer.writeInteger(Int16(2))
            buffer.writeShortString(group)
        }
    }

    /// Decodes a key; other key versions (transaction and share-group records that Kafka keeps
    /// elsewhere) are an error naming the version.
    public init(from buffer: inout ByteBuffer) throws {
        let version = try buffer.readRequired(Int16.self, "key version")
        switch version {
        case 0, 1:
            self = .offsetCommit(
                group: try buffer.readShortString("group"),
                topic: try buffer.readShortString("topic"),
                partition: try buffer.readRequired(Int32.self, "partition"))
        case 2:
            self = .groupMetadata(group: try buffer.readShortString("group"))
        default:
            throw ConsumerOffsetsFormatError("unknown __consumer_offsets key version \(version)")
        }
    }

    /// The `__consumer_offsets` partition of a group, as Kafka computes it:
    /// `abs(javaStringHashCode(group)) % partitionCount`, with Kafka's `abs` (`x & 0x7fffffff`).
    /// Matching Kafka keeps a topic copied from Kafka readable by the same coordinators.
    public static func partition(forGroup group: String, partitionCount: Int32) -> Int32 {
        var hash: Int32 = 0
        for unit in group.utf16 {
            hash = hash &* 31 &+ Int32(unit)
        }
        return (hash & 0x7fff_ffff) % partitionCount
    }
}

/// A `__consumer_offsets` record that cannot be read; the message says which field failed.
public struct ConsumerOffsetsFormatError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ByteBuffer {
    mutating func writeShortString(_ string: String) {
        let utf8 = string.utf8
        writeInteger(Int16(truncatingIfNeeded: utf8.count))
        writeBytes(utf8)
    }

    mutating func writeNullableShortString(_ string: String?) {
        guard let string else {
            writeInteger(Int16(-1))
            return
        }
        writeShortString(string)
    }

    mutating func writeInt32Bytes(_ bytes: [UInt8]) {
        writeInteger(Int32(truncatingIfNeeded: bytes.count))
        writeBytes(bytes)
    }

    mutating func readRequired<T: FixedWidthInteger>(_ type: T.Type, _ field: String) throws -> T {
        guard let value = readInteger(as: T.self) else {
            throw ConsumerOffsetsFormatError("\(field): \(MemoryLayout<T>.size) bytes needed, \(readableBytes) left")
        }
        return value
    }

    mutating func readNullableShortString(_ field: String) throws -> String? {
        let length = try readRequired(Int16.self, "\(field) length")
        if length == -1 { return nil }
        guard length >= 0 else { throw ConsumerOffsetsFormatError("\(field): negative length \(length)") }
        guard let string = readString(length: Int(length)) else {
            throw ConsumerOffsetsFormatError("\(field): \(length) bytes needed, \(readableBytes) left")
        }
        return string
    }

    mutating func readShortString(_ field: String) throws -> String {
        guard let string = try readNullableShortString(field) else {
            throw ConsumerOffsetsFormatError("\(field): null where a string is required")
        }
        return string
    }

    mutating func readInt32Bytes(_ field: String) throws -> [UInt8] {
        let length = try readRequired(Int32.self, "\(field) length")
        guard length >= 0 else { throw ConsumerOffsetsFormatError("\(field): negative length \(length)") }
        // Checked against what is left before anything is allocated.
        guard let bytes = readBytes(length: Int(length)) else {
            throw ConsumerOffsetsFormatError("\(field): \(length) bytes needed, \(readableBytes) left")
        }
        return bytes
    }
}
