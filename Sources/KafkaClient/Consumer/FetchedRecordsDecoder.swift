import Compression
import KafkaProtocol
import NIOCore

/// Turns the record batches of one partition's fetch response into records: checks each
/// batch's CRC, decompresses it (any codec), skips control batches, records before the fetch
/// offset and, under read_committed, the batches of aborted transactions. A partial batch at
/// the end (the broker cuts at `max.bytes`) is left for the next fetch.
struct FetchedRecordsDecoder {
    struct Output {
        var chunks: RecordChunks
        /// The offset to fetch next.
        var nextOffset: Int64
    }

    /// The largest records region accepted after decompression.
    var maxDecompressedSize = 256 << 20
    /// Records per array of the output (the consumer's `max.poll.records`).
    var chunkSize = Int.max

    func decode(
        _ bytes: ByteBuffer, topic: String, partition: Int32, fetchOffset: Int64,
        isolation: IsolationLevel, abortedTransactions: [(producerID: Int64, firstOffset: Int64)]
    ) throws(KafkaClientError) -> Output {
        var output = Output(chunks: RecordChunks(chunkSize: chunkSize), nextOffset: fetchOffset)
        var aborted = abortedTransactions.sorted { $0.firstOffset < $1.firstOffset }[...]
        var abortedProducers: Set<Int64> = []
        var position = bytes.readerIndex
        let end = bytes.writerIndex
        while end - position >= RecordBatchHeader.size {
            guard let length = bytes.getInteger(at: position + 8, as: Int32.self), length >= 49 else {
                throw .protocolViolation("\(topic)-\(partition): a batch at fetch byte \(position - bytes.readerIndex) claims \(bytes.getInteger(at: position + 8, as: Int32.self) ?? -1) bytes")
            }
            let total = Int(length) + RecordBatchHeader.logOverhead
            guard end - position >= total else { break }
            let batch = bytes.getSlice(at: position, length: total)!
            position += total
            let header = batch.withUnsafeReadableBytes { RecordBatchHeader(parsing: $0)! }
            guard header.magic == 2 else {
                throw .protocolViolation("\(topic)-\(partition): batch at offset \(header.baseOffset) has magic \(header.magic); only v2 is read")
            }
            let crc = batch.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[RecordBatchHeader.crcCoveredFrom...])) }
            guard crc == header.crc else {
                throw .protocolViolation("\(topic)-\(partition): batch at offset \(header.baseOffset) fails its CRC (stored \(header.crc), computed \(crc))")
            }
            output.nextOffset = max(output.nextOffset, header.lastOffset + 1)
            if isolation == .readCommitted {
                while let first = aborted.first, first.firstOffset <= header.lastOffset {
                    abortedProducers.insert(first.producerID)
                    aborted.removeFirst()
                }
                if header.isControl {
                    // An abort or commit marker ends the producer's transaction.
                    abortedProducers.remove(header.producerID)
                    continue
                }
                if header.isTransactional && abortedProducers.contains(header.producerID) { continue }
            }
            if header.isControl || header.lastOffset < fetchOffset { continue }
            try readRecords(batch, header: header, topic: topic, partition: partition, fetchOffset: fetchOffset, into: &output.chunks)
        }
        return output
    }

    private func readRecords(_ batch: ByteBuffer, header: RecordBatchHeader, topic: String, partition: Int32, fetchOffset: Int64, into records: inout RecordChunks) throws(KafkaClientError) {
        let codec: CompressionCodec
        do { codec = try CompressionCodec(batchAttributes: header.attributes) } catch {
            throw .protocolViolation("\(topic)-\(partition) offset \(header.baseOffset): \(error)")
        }
        let timestampType: TimestampType = header.isLogAppendTime ? .logAppendTime : .createTime
        let failure: KafkaClientError? = batch.withUnsafeReadableBytes { raw in
            let region = UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.size...])
            if codec == .none {
                return Self.parse(region, header: header, topic: topic, partition: partition, fetchOffset: fetchOffset, timestampType: timestampType, into: &records)
            }
            let plain: [UInt8]
            do { plain = try codec.decompress(region, maxOutputSize: maxDecompressedSize) } catch {
                return .protocolViolation("\(topic)-\(partition) offset \(header.baseOffset): \(error)")
            }
            return plain.withUnsafeBytes { plainRaw in
                Self.parse(plainRaw, header: header, topic: topic, partition: partition, fetchOffset: fetchOffset, timestampType: timestampType, into: &records)
            }
        }
        if let failure { throw failure }
    }

    private static func parse(
        _ region: UnsafeRawBufferPointer, header: RecordBatchHeader, topic: String, partition: Int32, fetchOffset: Int64,
        timestampType: TimestampType, into records: inout RecordChunks
    ) -> KafkaClientError? {
        var reader = RawRecordReader(bytes: region)
        for index in 0..<max(header.recordsCount, 0) {
            do throws(RawRecordReader.Failure) {
                let length = try reader.varint()
                guard length >= 0, Int(length) <= reader.remaining else { throw .init("record length \(length) exceeds the \(reader.remaining) bytes left") }
                let recordEnd = reader.position + Int(length)
                _ = try reader.byte()
                let timestampDelta = try reader.varint()
                let offsetDelta = try reader.varint()
                let key = try reader.nullableBytes()
                let value = try reader.nullableBytes()
                let headerCount = try reader.varint()
                guard headerCount >= 0, Int(headerCount) <= reader.remaining / 2 else { throw .init("header count \(headerCount)") }
                var headers: [RecordHeader] = []
                if headerCount > 0 {
                    headers.reserveCapacity(Int(headerCount))
                    for _ in 0..<headerCount {
                        guard let name = try reader.nullableBytes() else { throw .init("a null header key") }
                        headers.append(RecordHeader(key: String(decoding: name, as: UTF8.self), value: try reader.nullableBytes()))
                    }
                }
                guard reader.position == recordEnd else { throw .init("record length \(length) disagrees with its fields") }
                let offset = header.baseOffset + offsetDelta
                guard offset >= fetchOffset else { continue }
                records.append(ConsumerRecord(
                    topic: topic, partition: partition, offset: offset,
                    timestamp: timestampType == .logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta,
                    timestampType: timestampType, key: key, value: value, headers: headers, leaderEpoch: header.partitionLeaderEpoch))
            } catch {
                return .protocolViolation("\(topic)-\(partition): record \(index) of the batch at offset \(header.baseOffset): \(error.message)")
            }
        }
        return nil
    }
}

/// Zigzag varints and length-prefixed bytes over raw memory, bounds-checked.
struct RawRecordReader {
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - position }

    mutating func byte() throws(Failure) -> UInt8 {
        guard position < bytes.count else { throw Failure("unexpected end of the records") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(Failure) -> Int64 {
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Failure("a varint longer than 10 bytes") }
            raw |= UInt64(next & 0x7f) << shift
            if next & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func nullableBytes() throws(Failure) -> [UInt8]? {
        let length = try varint()
        if length == -1 { return nil }
        guard length >= 0, Int(length) <= remaining else { throw Failure("a length of \(length) with \(remaining) bytes left") }
        defer { position += Int(length) }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(length)]))
    }
}
