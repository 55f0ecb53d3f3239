import NIOCore
import Testing
@testable import KafkaProtocol

@Suite struct FetchResponseExternalRecordsTests {
    /// With the external bytes put into their holes, the frame equals the generated encoding of
    /// the same response with those records inline, in every served version.
    @Test(arguments: Array(Int16(4)...12))
    func holesFilledGiveTheGeneratedEncoding(version: Int16) throws {
        var response = FetchResponse()
        response.throttleTimeMs = 3
        if version >= 7 { response.sessionID = 0 }
        let payloads: [[UInt8]] = [Array(repeating: 0xAB, count: 300), [], Array(0..<200).map { UInt8($0) }]
        for (topicIndex, name) in ["a", "bb"].enumerated() {
            var topic = FetchResponse.FetchableTopicResponse()
            topic.topic = name
            for index in 0..<3 {
                var partition = FetchResponse.FetchableTopicResponse.PartitionData()
                partition.partitionIndex = Int32(index)
                partition.highWatermark = Int64(100 * topicIndex + index)
                partition.lastStableOffset = 7
                if version >= 5 { partition.logStartOffset = 1 }
                partition.records = ByteBuffer(bytes: payloads[index])
                topic.partitions.append(partition)
            }
            response.responses.append(topic)
        }
        var expected = ByteBuffer()
        try response.encode(into: &expected, version: version)

        // Partitions 0 and 2 of each topic go out of band.
        var external = response
        var lengths: [[Int?]] = []
        var outOfBand: [[UInt8]] = []
        for topicIndex in external.responses.indices {
            lengths.append([])
            for index in external.responses[topicIndex].partitions.indices {
                if index == 1 {
                    lengths[topicIndex].append(nil)
                } else {
                    lengths[topicIndex].append(payloads[index].count)
                    outOfBand.append(payloads[index])
                    external.responses[topicIndex].partitions[index].records = nil
                }
            }
        }
        var spliced = ByteBuffer()
        let holes = try external.encode(into: &spliced, version: version, externalLengths: lengths)
        #expect(holes.count == outOfBand.count)
        var assembled: [UInt8] = []
        var position = spliced.readerIndex
        for (hole, bytes) in zip(holes, outOfBand) {
            assembled += spliced.getBytes(at: position, length: hole - position)!
            assembled += bytes
            position = hole
        }
        assembled += spliced.getBytes(at: position, length: spliced.writerIndex - position)!
        #expect(assembled == Array(expected.readableBytesView))
    }
}
