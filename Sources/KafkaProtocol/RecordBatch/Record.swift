/// One record inside a RecordBatch v2, as views into the batch's bytes (no copies).
///
///     length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
///     keyLength varint, key | valueLength varint, value | headerCount varint,
///     headers (keyLength varint, key, valueLength varint, value)*
///
/// A length of -1 is null; a null key and an empty key are different and both round-trip.
public struct Record: Sendable, Equatable {
    public var timestampDelta: Int64
    public var offsetDelta: Int32
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [Header]

    public struct Header: Sendable, Equatable {
        public var key: String
        public var value: [UInt8]?

        public init(key: String, value: [UInt8]?) {
            self.key = key
            self.value = value
        }
    }

    public init(timestampDelta: Int64 = 0, offsetDelta: Int32, key: [UInt8]?, value: [UInt8]?, headers: [Header] = []) {
        self.timestampDelta = timestampDelta
        self.offsetDelta = offsetDelta
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// Why records could not be read; says which record and at which byte of the records region.
public struct RecordError: Error, Equatable, CustomStringConvertible, Sendable {
    public var recordIndex: Int
    public var position: Int
    public var message: String

    public var description: String { "record \(recordIndex) at byte \(position): \(message)" }
}

/// Reads the records of an uncompressed records region (or of a decompressed one).
public struct RecordReader {
    private var reader: VarintReader
    private let count: Int32
    private var index: Int32 = 0

    /// - Parameters:
    ///   - records: the bytes after the 61-byte header (decompressed if the batch is compressed).
    ///   - count: the header's recordsCount.
    public init(records: [UInt8], count: Int32) {
        self.reader = VarintReader(bytes: records)
        self.count = count
    }

    /// The next record, or nil after the last one.
    /// - Throws: ``RecordError`` on malformed or truncated input, or bytes left after the last.
    public mutating func next() throws(RecordError) -> Record? {
        guard index < count else {
            guard reader.isAtEnd else {
                throw RecordError(recordIndex: Int(index), position: reader.position,
                                  message: "\(reader.remaining) bytes follow the last of \(count) records")
            }
            return nil
        }
        let start = reader.position
        do throws(VarintError) {
            let length = try reader.varint()
            guard length >= 0, Int(length) <= reader.remaining else {
                throw VarintError("record length \(length) exceeds the \(reader.remaining) bytes left")
            }
            let end = reader.position + Int(length)
            _ = try reader.byte()  // attributes: unused
            let timestampDelta = try reader.varlong()
            let offsetDelta = try reader.varint()
            let key = try reader.nullableBytes("key")
            let value = try reader.nullableBytes("value")
            let headerCount = try reader.varint()
            guard headerCount >= 0, Int(headerCount) <= reader.remaining / 2 else {
                throw VarintError("header count \(headerCount) does not fit the record")
            }
            var headers: [Record.Header] = []
            headers.reserveCapacity(Int(headerCount))
            for _ in 0..<headerCount {
                guard let keyBytes = try reader.nullableBytes("header key") else {
                    throw VarintError("a header key is null")
                }
                headers.append(Record.Header(key: String(decoding: keyBytes, as: UTF8.self), value: try reader.nullableBytes("header value")))
            }
            guard reader.position == end else {
                throw VarintError("record length says \(length) bytes but its fields take \(reader.position - start)")
            }
            index += 1
            return Record(timestampDelta: timestampDelta, offsetDelta: offsetDelta, key: key, value: value, headers: headers)
        } catch {
            throw RecordError(recordIndex: Int(index), position: start, message: error.message)
        }
    }

    /// Every record; throws on the first malformed one.
    public static func readAll(records: [UInt8], count: Int32) throws(RecordError) -> [Record] {
        var reader = RecordReader(records: records, count: count)
        var all: [Record] = []
        all.reserveCapacity(Int(min(count, Int32(records.count / 7 + 1))))
        while let record = try reader.next() { all.append(record) }
        return all
    }
}

extension Record {
    /// Appends this record's encoding.
    public func encode(into bytes: inout [UInt8]) {
        var body: [UInt8] = [0]
        VarintWriter.writeVarlong(timestampDelta, into: &body)
        VarintWriter.writeVarint(offsetDelta, into: &body)
        VarintWriter.writeNullableBytes(key, into: &body)
        VarintWriter.writeNullableBytes(value, into: &body)
        VarintWriter.writeVarint(Int32(headers.count), into: &body)
        for header in headers {
            VarintWriter.writeNullableBytes(Array(header.key.utf8), into: &body)
            VarintWriter.writeNullableBytes(header.value, into: &body)
        }
        VarintWriter.writeVarint(Int32(body.count), into: &bytes)
        bytes += body
    }
}
