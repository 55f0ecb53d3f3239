import LogStore
import Testing
@testable import SluiceNode

@Suite struct NodeConfigurationTests {
    private func configuration(_ text: String) throws -> NodeConfiguration {
        var configuration = NodeConfiguration()
        try configuration.apply(PropertiesFile.parse(text, name: "server.properties"))
        return configuration
    }

    @Test func defaultsMatchTheDesign() {
        let configuration = NodeConfiguration()
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.listen.description == "127.0.0.1:9092")
        #expect(configuration.registryListen.description == "127.0.0.1:8081")
        #expect(configuration.adminListen.description == "127.0.0.1:9644")
        #expect(configuration.nodeID == 0)
        #expect(configuration.advertisedAddress == configuration.listen)
        #expect(configuration.writeBehind == WriteBehind(chunkBytes: 2 << 20, cachedTailBytes: 32 << 20))
    }

    @Test(arguments: [
        ("sluice.log.write.behind.bytes=0", WriteBehind(chunkBytes: 0, cachedTailBytes: 32 << 20)),
        ("sluice.log.cached.tail.bytes=-1", WriteBehind(chunkBytes: 2 << 20, cachedTailBytes: -1)),
        ("sluice.log.write.behind.bytes=1048576\nsluice.log.cached.tail.bytes=0", WriteBehind(chunkBytes: 1 << 20, cachedTailBytes: 0)),
    ])
    func writeBehindSettings(text: String, expected: WriteBehind) throws {
        #expect(try configuration(text).writeBehind == expected)
    }

    @Test func kafkaNamesSetNodeSettings() throws {
        let configuration = try configuration("""
            broker.id=7
            log.dirs=/var/lib/sluice
            listeners=PLAINTEXT://0.0.0.0:19092
            advertised.listeners=PLAINTEXT://kafka.example:19092
            sluice.admin.listen=127.0.0.1:19644
            """)
        #expect(configuration.nodeID == 7)
        #expect(configuration.dataDirectory == "/var/lib/sluice")
        #expect(configuration.listen == HostAndPort(host: "0.0.0.0", port: 19092))
        #expect(configuration.advertisedAddress == HostAndPort(host: "kafka.example", port: 19092))
        #expect(configuration.adminListen.port == 19644)
    }

    @Test(arguments: [
        ("log.retention.hours=2", "retention.ms", "7200000"),
        ("log.retention.minutes=3", "retention.ms", "180000"),
        ("log.retention.ms=-1", "retention.ms", "-1"),
        ("log.retention.hours=-1", "retention.ms", "-1"),
        ("log.roll.hours=1", "segment.ms", "3600000"),
        ("log.segment.bytes=1048576", "segment.bytes", "1048576"),
        ("log.cleanup.policy=compact", "cleanup.policy", "compact"),
        ("message.max.bytes=2000000", "max.message.bytes", "2000000"),
        ("log.flush.interval.messages=1", "flush.messages", "1"),
    ])
    func brokerLogDefaultsBecomeTopicSettings(line: String, key: String, value: String) throws {
        #expect(try configuration(line).logDefaults[key] == value)
    }

    @Test(arguments: [
        "log.retention.ms=5\nlog.retention.hours=1",
        "log.retention.hours=1\nlog.retention.ms=5",
        "log.retention.minutes=1\nlog.retention.ms=5\nlog.retention.hours=2",
    ])
    func finerRetentionUnitWinsWhateverTheOrder(text: String) throws {
        #expect(try configuration(text).logDefaults["retention.ms"] == "5")
    }

    @Test func laterLinesWin() throws {
        #expect(try configuration("node.id=1\nnode.id=2").nodeID == 2)
    }

    @Test func unknownKeyIsAnErrorNamingKeyAndLine() throws {
        do {
            _ = try configuration("node.id=1\nlog.retention.days=3\n")
            Issue.record("an unknown key was accepted")
        } catch let error as ConfigurationError {
            #expect(error.setting == "log.retention.days")
            #expect(error.location == "server.properties:2")
            #expect(error.description.contains("log.retention.days"))
        }
    }

    @Test(arguments: [
        "node.id=-1", "node.id=abc", "log.dirs=/a,/b", "listeners=localhost", "listeners=host:99999",
        "log.retention.hours=many", "log.retention.hours=9223372036854775807", "sluice.log.max.open.files=2",
        "sluice.log.write.behind.bytes=-1", "sluice.log.cached.tail.bytes=-2", "sluice.log.cached.tail.bytes=lots",
    ])
    func badValuesAreRejected(line: String) throws {
        #expect(throws: ConfigurationError.self) { try configuration(line) }
    }

    @Test(arguments: [
        ("127.0.0.1:9092", "127.0.0.1", 9092),
        ("PLAINTEXT://localhost:1", "localhost", 1),
        (":9092", "0.0.0.0", 9092),
        ("[::1]:9092", "::1", 9092),
    ])
    func hostAndPortParses(text: String, host: String, port: Int) throws {
        let address = try HostAndPort(parsing: text, setting: "--listen")
        #expect(address.host == host)
        #expect(address.port == port)
    }
}
