import Testing
@testable import KafkaProtocol

@Suite struct CRC32CTests {
    /// The Castagnoli check value (record-batch notes §5) and RFC 3720's test patterns.
    static let vectors: [([UInt8], UInt32)] = [
        (Array("123456789".utf8), 0xE306_9283),
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ([UInt8](repeating: 0xff, count: 32), 0x62A8_AB43),
        (Array(0..<32), 0x46DD_794E),
        ([], 0),
    ]

    @Test(arguments: vectors)
    func knownValues(bytes: [UInt8], crc: UInt32) {
        #expect(CRC32C.checksum(of: bytes) == crc)
        #expect(bytes.withUnsafeBytes { CRC32C.portableChecksum($0) } == crc)
    }

    @Test func hardwareAndTableAgreeOnRandomData() {
        var generator = SystemRandomNumberGenerator()
        // Around the three-run blocks of the hardware path (3 x 256 and 3 x 8192 bytes) too.
        for length in [1, 7, 8, 63, 64, 767, 768, 769, 1_000, 1_543, 24_575, 24_576, 24_577, 25_344, 65_537, 1_000_003] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let portable = bytes.withUnsafeBytes { CRC32C.portableChecksum($0) }
            #expect(CRC32C.checksum(of: bytes) == portable, "length \(length)")
        }
    }

    @Test func continuingOverPiecesEqualsOneChecksum() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = CRC32C.checksum(of: bytes)
        for split in [0, 1, 7, 8, 9, 4_999, 9_999, 10_000] {
            let first = bytes[..<split].withUnsafeBytes { CRC32C.checksum($0) }
            let both = bytes[split...].withUnsafeBytes { CRC32C.checksum($0, continuing: first) }
            #expect(both == whole, "split at \(split)")
        }
    }

    @Test func unalignedStartsAgree() {
        let bytes = (0..<100).map { UInt8($0) }
        let reference = CRC32C.checksum(of: bytes[3...])
        let viaPointer = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[3...])) }
        #expect(reference == viaPointer)
    }

    @Test(arguments: 0..<8)
    func unalignedLongInputsAgreeWithTheTable(start: Int) {
        let bytes = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 7) }
        bytes.withUnsafeBytes { raw in
            let piece = UnsafeRawBufferPointer(rebasing: raw[start...])
            #expect(CRC32C.checksum(piece) == CRC32C.portableChecksum(piece))
        }
    }
}
