/// The partition of a keyed record, exactly as the Java client chooses it:
/// `toPositive(murmur2(key)) % partitionCount` (librdkafka's `murmur2_random` partitioner agrees;
/// its default, `consistent_random`, hashes with CRC-32 instead). Matching Java matters because applications
/// written against Kafka rely on records with one key landing in one partition, whichever
/// client produced them.
public enum DefaultPartitioner {
    /// The partition for a key.
    public static func partition(forKey key: some Collection<UInt8>, partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        return (murmur2(key) & 0x7fff_ffff) % partitionCount
    }

    /// Kafka's 32-bit murmur2 (seed 0x9747b28c), as `org.apache.kafka.common.utils.Utils.murmur2`.
    public static func murmur2(_ data: some Collection<UInt8>) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let bytes = Array(data)
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var index = 0
        while index + 4 <= length {
            var k = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            index += 4
        }
        let remaining = length - index
        if remaining == 3 { h ^= UInt32(bytes[index + 2]) << 16 }
        if remaining >= 2 { h ^= UInt32(bytes[index + 1]) << 8 }
        if remaining >= 1 {
            h ^= UInt32(bytes[index])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}
