import Testing
@testable import KafkaProtocol

@Test func crc32cCheckValue() {
    #expect(CRC32C.checksum(of: Array("123456789".utf8)) == 0xE306_9283)
}
