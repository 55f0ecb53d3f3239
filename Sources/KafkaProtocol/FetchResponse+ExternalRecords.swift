import NIOCore

extension FetchResponse {
    /// Encodes the response with the records of some partitions left out, so that the caller
    /// can send them straight from the log files (`sendfile`) in their place. Everything else is
    /// the generated encoding: each such partition is encoded with empty records and its length
    /// marker rewritten for the external bytes.
    /// - Parameters:
    ///   - externalLengths: per topic, per partition, the byte count of records sent from
    ///     outside (nil: the partition's own `records` are encoded as usual).
    /// - Returns: for each external partition in order, the writer index of `buffer` where its
    ///   bytes belong.
    public func encode(into buffer: inout ByteBuffer, version: Int16,
                       externalLengths: [[Int?]]) throws(KafkaProtocolError) -> [Int] {
        try Self.checkVersion(version)
        guard version <= 12, nodeEndpoints.isEmpty else {
            throw KafkaProtocolError(.unsupportedVersion, "external records are encoded for FetchResponse versions up to 12")
        }
        let flexible = version >= 12
        if version >= 1 { buffer.writeInteger(throttleTimeMs) }
        if version >= 7 {
            buffer.writeInteger(errorCode)
            buffer.writeInteger(sessionID)
        }
        var holes: [Int] = []
        buffer.writeKafkaArrayCount(responses.count, flexible: flexible)
        for (topicIndex, topic) in responses.enumerated() {
            buffer.writeKafkaString(topic.topic, flexible: flexible)
            buffer.writeKafkaArrayCount(topic.partitions.count, flexible: flexible)
            for (partitionIndex, partition) in topic.partitions.enumerated() {
                let external = topicIndex < externalLengths.count && partitionIndex < externalLengths[topicIndex].count
                    ? externalLengths[topicIndex][partitionIndex] : nil
                guard let length = external else {
                    try partition.encode(into: &buffer, version: version)
                    continue
                }
                // Encoded with empty records: the marker for zero bytes is found by comparing
                // with the encoding with null records; the bytes around it are kept as they are.
                var empty = partition
                empty.records = ByteBuffer()
                var withEmpty = ByteBuffer()
                try empty.encode(into: &withEmpty, version: version)
                var null = partition
                null.records = nil
                var withNull = ByteBuffer()
                try null.encode(into: &withNull, version: version)
                let a = withEmpty.readableBytesView, b = withNull.readableBytesView
                guard let split = zip(a.indices, b.indices).first(where: { a[$0.0] != b[$0.1] })?.0 else {
                    throw KafkaProtocolError(.invalidValue, "cannot locate the records of partition \(partition.partitionIndex)")
                }
                let markerLength = flexible ? 1 : 4
                let start = a.startIndex
                buffer.writeBytes(a[start..<split])
                buffer.writeKafkaLength(length, flexible: flexible, wide: true)
                holes.append(buffer.writerIndex)
                buffer.writeBytes(a[(split + markerLength)...])
            }
            if flexible { buffer.writeKafkaTaggedFields(topic.unknownTaggedFields) }
        }
        if flexible { buffer.writeKafkaTaggedFields(unknownTaggedFields) }
        return holes
    }
}
