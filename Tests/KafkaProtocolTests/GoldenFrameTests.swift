import Foundation
import NIOCore
import Testing
@testable import KafkaProtocol

/// Byte layouts written out by hand from Kafka's protocol guide and specs, never from this
/// encoder, so that a mistake in the generator cannot hide behind a round trip.
@Suite struct GoldenFrameTests {
    private func buffer(_ text: String) -> ByteBuffer { ByteBuffer(bytes: hexBytes(text)) }

    @Test func apiVersionsV3RequestAsLibrdkafkaSendsIt() throws {
        // RequestHeader v2: api key 18, version 3, correlation id 1, client id "rdkafka"
        // (int16 length even in v2), no tagged fields; then the compact body.
        var frame = buffer("""
            0012 0003 00000001 0007 72646b61666b61 00
            0b 6c69627264 6b61666b61 07 322e31362e30 00
            """)
        let header = try RequestHeader(from: &frame, version: 2)
        #expect(header.requestApiKey == 18)
        #expect(header.requestApiVersion == 3)
        #expect(header.correlationID == 1)
        #expect(header.clientID == "rdkafka")
        let request = try ApiVersionsRequest(from: &frame, version: 3)
        #expect(request.clientSoftwareName == "librdkafka")
        #expect(request.clientSoftwareVersion == "2.16.0")
        #expect(frame.readableBytes == 0)
    }

    @Test func nullClientIDIsAccepted() throws {
        var frame = buffer("0003 0001 0000002a ffff")
        let header = try RequestHeader(from: &frame, version: 1)
        #expect(header.clientID == nil)
    }

    @Test func metadataV1NullTopicsMeansAllTopics() throws {
        var body = buffer("ffffffff")
        let request = try MetadataRequest(from: &body, version: 1)
        #expect(request.topics == nil)
        var encoded = ByteBuffer()
        try request.encode(into: &encoded, version: 1)
        #expect(hex(encoded) == "ffffffff")
    }

    @Test func produceV3RequestLayout() throws {
        // transactional id null, acks -1, timeout 30000, one topic "t" with partition 0 and a
        // 3-byte records blob (opaque here).
        let text = "ffff ffff 00007530 00000001 0001 74 00000001 00000000 00000003 aabbcc"
        var body = buffer(text)
        let request = try ProduceRequest(from: &body, version: 3)
        #expect(request.transactionalID == nil)
        #expect(request.acks == -1)
        #expect(request.timeoutMs == 30_000)
        #expect(request.topicData.first?.name == "t")
        #expect(request.topicData.first?.partitionData.first?.records.map { Array($0.readableBytesView) } == [0xaa, 0xbb, 0xcc])
        var encoded = ByteBuffer()
        try request.encode(into: &encoded, version: 3)
        #expect(hex(encoded) == text.replacingOccurrences(of: " ", with: ""))
    }

    @Test func apiVersionsV0ResponseLayout() throws {
        var response = ApiVersionsResponse()
        var key = ApiVersionsResponse.ApiVersion()
        key.apiKey = 18
        key.minVersion = 0
        key.maxVersion = 4
        response.apiKeys = [key]
        var encoded = ByteBuffer()
        try response.encode(into: &encoded, version: 0)
        #expect(hex(encoded) == "0000" + "00000001" + "0012" + "0000" + "0004")
        encoded.clear()
        try response.encode(into: &encoded, version: 3)
        // v3: compact array (count + 1), per-entry tagged fields, throttle time, tagged fields.
        #expect(hex(encoded) == "0000" + "02" + "0012" + "0000" + "0004" + "00" + "00000000" + "00")
    }

    @Test func taggedFieldsKnownAndUnknownRoundTrip() throws {
        // ApiVersionsResponse v3 with FinalizedFeaturesEpoch (tag 1) = 7 and an unknown tag 9.
        let text = "0000 01 00000000 02 01 08 0000000000000007 09 02 abcd"
        var body = buffer(text)
        let response = try ApiVersionsResponse(from: &body, version: 3)
        #expect(response.finalizedFeaturesEpoch == 7)
        #expect(response.unknownTaggedFields == [KafkaTaggedField(tag: 9, data: [0xab, 0xcd])])
        var encoded = ByteBuffer()
        try response.encode(into: &encoded, version: 3)
        #expect(hex(encoded) == text.replacingOccurrences(of: " ", with: ""))
    }

    @Test func aFieldThatDoesNotExistInTheVersionCannotBeEncoded() {
        var request = MetadataRequest()
        request.includeTopicAuthorizedOperations = true  // v8+, not ignorable
        var buffer = ByteBuffer()
        #expect(throws: KafkaProtocolError.self) { try request.encode(into: &buffer, version: 4) }
    }

    @Test func truncatedFramesThrowAtEveryLength() throws {
        var request = ProduceRequest()
        var topic = ProduceRequest.TopicProduceData()
        topic.name = "orders"
        var partition = ProduceRequest.TopicProduceData.PartitionProduceData()
        partition.records = ByteBuffer(bytes: [1, 2, 3, 4])
        topic.partitionData = [partition]
        request.topicData = [topic]
        for version in Int16(3)...11 {
            var full = ByteBuffer()
            try request.encode(into: &full, version: version)
            for length in 0..<full.readableBytes {
                var cut = full.getSlice(at: 0, length: length)!
                #expect(throws: KafkaProtocolError.self, "v\(version) cut at \(length)") {
                    _ = try ProduceRequest(from: &cut, version: version)
                }
            }
        }
    }

    @Test func hostileCountsFailBeforeAllocating() {
        // Metadata v1 claiming 2^31 - 1 topics in 4 bytes.
        var body = buffer("7fffffff")
        do {
            _ = try MetadataRequest(from: &body, version: 1)
            Issue.record("a hostile count was accepted")
        } catch {
            #expect(error.code == .invalidLength)
        }
    }

    @Test func unsupportedVersionsAreRefused() {
        var body = ByteBuffer()
        #expect(throws: KafkaProtocolError.self) { _ = try ApiVersionsRequest(from: &body, version: 99) }
    }
}
