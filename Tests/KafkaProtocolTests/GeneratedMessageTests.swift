import NIOCore
import Testing
@testable import KafkaProtocol

/// Every generated message, at every version it defines.
let allMessageTypes: [any KafkaMessage.Type] = [
        AlterConfigsRequest.self, AlterConfigsResponse.self, ApiVersionsRequest.self,
    ApiVersionsResponse.self, ConsumerGroupDescribeRequest.self,
    ConsumerGroupDescribeResponse.self, ConsumerGroupHeartbeatRequest.self,
    ConsumerGroupHeartbeatResponse.self, ConsumerProtocolAssignment.self,
    ConsumerProtocolSubscription.self, CreatePartitionsRequest.self,
    CreatePartitionsResponse.self, CreateTopicsRequest.self, CreateTopicsResponse.self,
    DeleteGroupsRequest.self, DeleteGroupsResponse.self, DeleteRecordsRequest.self,
    DeleteRecordsResponse.self, DeleteTopicsRequest.self, DeleteTopicsResponse.self,
    DescribeClusterRequest.self, DescribeClusterResponse.self, DescribeConfigsRequest.self,
    DescribeConfigsResponse.self, DescribeGroupsRequest.self, DescribeGroupsResponse.self,
    FetchRequest.self, FetchResponse.self, FindCoordinatorRequest.self,
    FindCoordinatorResponse.self, HeartbeatRequest.self, HeartbeatResponse.self,
    IncrementalAlterConfigsRequest.self, IncrementalAlterConfigsResponse.self,
    InitProducerIDRequest.self, InitProducerIDResponse.self, JoinGroupRequest.self,
    JoinGroupResponse.self, LeaveGroupRequest.self, LeaveGroupResponse.self,
    ListGroupsRequest.self, ListGroupsResponse.self, ListOffsetsRequest.self,
    ListOffsetsResponse.self, MetadataRequest.self, MetadataResponse.self,
    OffsetCommitRequest.self, OffsetCommitResponse.self, OffsetDeleteRequest.self,
    OffsetDeleteResponse.self, OffsetFetchRequest.self, OffsetFetchResponse.self,
    OffsetForLeaderEpochRequest.self, OffsetForLeaderEpochResponse.self, ProduceRequest.self,
    ProduceResponse.self, RequestHeader.self, ResponseHeader.self, SyncGroupRequest.self,
    SyncGroupResponse.self
]

func hex(_ buffer: ByteBuffer) -> String {
    buffer.readableBytesView.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

@Suite struct GeneratedMessageTests {
    /// Defaults encode and decode back to the same value at every version.
    @Test func defaultsRoundTripAtEveryVersion() throws {
        for type in allMessageTypes {
            try roundTripDefault(type)
        }
    }

    private func roundTripDefault<T: KafkaMessage>(_ type: T.Type) throws {
        for version in T.validVersions {
            let message = T()
            var buffer = ByteBuffer()
            try message.encode(into: &buffer, version: version)
            let decoded = try T(from: &buffer, version: version)
            #expect(decoded == message, "\(T.self) v\(version)")
            #expect(buffer.readableBytes == 0, "\(T.self) v\(version) left bytes")
        }
    }

    /// Random bytes never crash a decoder, and whatever decodes re-encodes to an equal value.
    @Test func randomInputNeverCrashesAndDecodedValuesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        var decodedCount = 0
        for round in 0..<20_000 {
            let type = allMessageTypes[round % allMessageTypes.count]
            let length = Int.random(in: 0...64, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if try fuzz(type, bytes: bytes, version: Int16.random(in: type.validVersions, using: &generator)) { decodedCount += 1 }
        }
        #expect(decodedCount > 0, "some random inputs should decode")
    }

    private func fuzz<T: KafkaMessage>(_ type: T.Type, bytes: [UInt8], version: Int16) throws -> Bool {
        var buffer = ByteBuffer(bytes: bytes)
        guard let decoded = try? T(from: &buffer, version: version) else { return false }
        var encoded = ByteBuffer()
        try decoded.encode(into: &encoded, version: version)
        let again = try T(from: &encoded, version: version)
        #expect(again == decoded, "\(T.self) v\(version) from \(bytes)")
        return true
    }
}
