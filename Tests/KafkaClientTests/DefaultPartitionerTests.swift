import Testing
@testable import KafkaClient

@Suite struct DefaultPartitionerTests {
    /// The values of Kafka's own `UtilsTest.testMurmur2`, re-derived with an independent Python
    /// implementation of the algorithm.
    @Test(arguments: [
        ("21", Int32(-973_932_308)),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
        ("", 275_646_681),
    ])
    func murmur2MatchesKafka(key: String, hash: Int32) {
        #expect(DefaultPartitioner.murmur2(Array(key.utf8)) == hash)
    }

    @Test(arguments: [
        ("a", Int32(6), Int32(4)), ("hello", 6, 3), ("kafka-key-123", 6, 0), ("abcd", 100, 0), ("é€", 100, 89),
    ])
    func partitionIsPositiveHashModuloCount(key: String, count: Int32, partition: Int32) {
        #expect(DefaultPartitioner.partition(forKey: Array(key.utf8), partitionCount: count) == partition)
    }
}
