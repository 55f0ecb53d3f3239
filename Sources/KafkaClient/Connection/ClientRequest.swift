import KafkaProtocol

/// A generated request type the client sends, paired with its response type, and the versions
/// this client can fill in correctly. The range caps versions whose layout this client does not
/// build (Fetch 13+ names topics by id only; OffsetFetch 8+ batches groups).
protocol ClientRequest: KafkaAPIMessage {
    associatedtype Response: KafkaAPIMessage
    static var clientVersions: ClosedRange<Int16> { get }
    /// About how many bytes the encoded frame takes, so its buffer is allocated once rather than
    /// grown by doubling (each growth a copy and, for a batch of a megabyte, fresh pages).
    var encodedSizeHint: Int { get }
}

extension ClientRequest {
    static var clientVersions: ClosedRange<Int16> { validVersions }
    var encodedSizeHint: Int { 256 }

    /// Request header v2 (tagged fields) from the API's first flexible version, else v1.
    static func requestHeaderVersion(_ version: Int16) -> Int16 { isFlexible(version) ? 2 : 1 }

    /// Response header v1 from the first flexible version; ApiVersions always answers with v0,
    /// so a client can read it whatever version it sent.
    static func responseHeaderVersion(_ version: Int16) -> Int16 {
        apiKey == ApiVersionsRequest.apiKey ? 0 : (Response.isFlexible(version) ? 1 : 0)
    }
}

extension ApiVersionsRequest: ClientRequest {
    typealias Response = ApiVersionsResponse
    static var clientVersions: ClosedRange<Int16> { 0...3 }
}
extension MetadataRequest: ClientRequest {
    typealias Response = MetadataResponse
    static var clientVersions: ClosedRange<Int16> { 1...12 }
}
extension ProduceRequest: ClientRequest {
    typealias Response = ProduceResponse
    static var clientVersions: ClosedRange<Int16> { 3...11 }

    /// The batches and a generous allowance for the names and fields around them.
    var encodedSizeHint: Int {
        topicData.reduce(256) { size, topic in
            topic.partitionData.reduce(size + 16 + topic.name.utf8.count) { $0 + 32 + ($1.records?.readableBytes ?? 0) }
        }
    }
}
extension FetchRequest: ClientRequest {
    typealias Response = FetchResponse
    static var clientVersions: ClosedRange<Int16> { 4...12 }
}
extension ListOffsetsRequest: ClientRequest {
    typealias Response = ListOffsetsResponse
    static var clientVersions: ClosedRange<Int16> { 1...8 }
}
extension InitProducerIDRequest: ClientRequest { typealias Response = InitProducerIDResponse }
extension FindCoordinatorRequest: ClientRequest {
    typealias Response = FindCoordinatorResponse
    // v4+ batches keys; this client asks for one at a time.
    static var clientVersions: ClosedRange<Int16> { 0...3 }
}
extension JoinGroupRequest: ClientRequest { typealias Response = JoinGroupResponse }
extension SyncGroupRequest: ClientRequest { typealias Response = SyncGroupResponse }
extension HeartbeatRequest: ClientRequest { typealias Response = HeartbeatResponse }
extension LeaveGroupRequest: ClientRequest {
    typealias Response = LeaveGroupResponse
    static var clientVersions: ClosedRange<Int16> { 3...5 }
}
extension OffsetCommitRequest: ClientRequest {
    typealias Response = OffsetCommitResponse
    static var clientVersions: ClosedRange<Int16> { 2...9 }
}
extension OffsetFetchRequest: ClientRequest {
    typealias Response = OffsetFetchResponse
    static var clientVersions: ClosedRange<Int16> { 1...7 }
}
extension CreateTopicsRequest: ClientRequest { typealias Response = CreateTopicsResponse }
extension DeleteTopicsRequest: ClientRequest {
    typealias Response = DeleteTopicsResponse
    // v6 names topics in a struct array; 1-5 take plain names, which is all this client sends.
    static var clientVersions: ClosedRange<Int16> { 1...5 }
}
extension CreatePartitionsRequest: ClientRequest { typealias Response = CreatePartitionsResponse }
extension DescribeConfigsRequest: ClientRequest { typealias Response = DescribeConfigsResponse }
extension AlterConfigsRequest: ClientRequest { typealias Response = AlterConfigsResponse }
extension IncrementalAlterConfigsRequest: ClientRequest { typealias Response = IncrementalAlterConfigsResponse }
extension DescribeClusterRequest: ClientRequest { typealias Response = DescribeClusterResponse }
extension ListGroupsRequest: ClientRequest { typealias Response = ListGroupsResponse }
extension DescribeGroupsRequest: ClientRequest { typealias Response = DescribeGroupsResponse }
extension DeleteGroupsRequest: ClientRequest { typealias Response = DeleteGroupsResponse }
extension OffsetDeleteRequest: ClientRequest { typealias Response = OffsetDeleteResponse }
extension DeleteRecordsRequest: ClientRequest { typealias Response = DeleteRecordsResponse }
