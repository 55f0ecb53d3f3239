import NIOCore
import Testing
@testable import KafkaProtocol

/// 100,000+ hostile request frames: random bytes and mutations (bit flips, cuts, inflated
/// lengths) of valid requests of every API and version. Decoding must throw or succeed, never
/// trap, and never allocate beyond the input (every count is checked against the bytes left).
@Suite struct RequestFuzzTests {
    static let requestTypes: [any KafkaAPIMessage.Type] = allMessageTypes.compactMap { $0 as? any KafkaAPIMessage.Type }
        .filter { "\($0)".hasSuffix("Request") }

    private func decode<T: KafkaMessage>(_ type: T.Type, _ bytes: [UInt8], version: Int16) -> Bool {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let header = try RequestHeader(from: &buffer, version: T.isFlexible(version) ? 2 : 1)
            _ = header
            _ = try T(from: &buffer, version: version)
            return true
        } catch {
            return false
        }
    }

    /// A valid frame body for `T` at `version`: header then the default request.
    private func validFrame<T: KafkaMessage>(_ type: T.Type, version: Int16) throws -> [UInt8] {
        var header = RequestHeader()
        header.requestApiKey = 0
        header.requestApiVersion = version
        header.correlationID = 7
        header.clientID = "fuzz"
        var buffer = ByteBuffer()
        try header.encode(into: &buffer, version: T.isFlexible(version) ? 2 : 1)
        try T().encode(into: &buffer, version: version)
        return Array(buffer.readableBytesView)
    }

    @Test func hostileFramesNeverCrashTheDecoders() throws {
        var cases = 0
        var decoded = 0
        for type in Self.requestTypes {
            let (tried, accepted) = try fuzz(type)
            cases += tried
            decoded += accepted
        }
        #expect(cases >= 100_000, "only \(cases) cases")
        #expect(decoded > 0)
    }

    /// Every version of one request type: its valid frame, then 600 mutations of it.
    private func fuzz<T: KafkaMessage>(_ type: T.Type) throws -> (cases: Int, decoded: Int) {
        var generator = SystemRandomNumberGenerator()
        var cases = 0
        var decoded = 0
        for version in T.validVersions {
            let valid = try validFrame(type, version: version)
            #expect(decode(type, valid, version: version), "\(T.self) v\(version) rejects its own encoding")
            for round in 0..<600 {
                var bytes = valid
                switch round % 4 {
                case 0:  // flip random bits
                    for _ in 0...Int.random(in: 0...3, using: &generator) where !bytes.isEmpty {
                        bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8(1 << Int.random(in: 0...7, using: &generator))
                    }
                case 1:  // cut
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
                case 2:  // inflate a 4-byte window into a huge length or count
                    if bytes.count >= 4 {
                        let at = Int.random(in: 0...(bytes.count - 4), using: &generator)
                        bytes.replaceSubrange(at..<(at + 4), with: [0x7f, 0xff, 0xff, UInt8.random(in: 0...255, using: &generator)])
                    }
                default:  // random tail
                    bytes += (0..<Int.random(in: 1...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                }
                if decode(type, bytes, version: version) { decoded += 1 }
                cases += 1
            }
        }
        return (cases, decoded)
    }
}
