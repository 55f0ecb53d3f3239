import Foundation
import Testing
@testable import ProtocolGenCore

/// The package root and the specs folder beside it (`../shared/reference/kafka-messages`).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let specsFolder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/kafka-messages").path

@Suite struct GeneratedCodeFreshnessTests {
    /// Fails when `Sources/KafkaProtocol/Generated` is not what the generator writes now: rerun
    /// `make generate` and commit the result.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: specsFolder), "the Kafka message specs are not beside the package"))
    func committedOutputIsFresh() throws {
        let generated = try Generator.generate(specsDirectory: specsFolder)
        let folder = packageRoot.appendingPathComponent("Sources/KafkaProtocol/Generated").path
        let committed = Set(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") })
        #expect(committed == Set(generated.keys), "generated files differ from the committed ones")
        for (name, text) in generated {
            let onDisk = try String(contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)
            #expect(onDisk == text, "\(name) is stale: run `make generate`")
        }
    }
}

@Suite struct VersionRangeTests {
    @Test(arguments: [
        ("0+", 0, Int?.none), ("3+", 3, nil), ("0-5", 0, 5), ("7", 7, 7),
    ])
    func parses(text: String, lower: Int, upper: Int?) throws {
        let range = try VersionRange(parsing: text)
        #expect(range.lower == lower && range.upper == upper && !range.isNone)
    }

    @Test func noneContainsNothing() throws {
        let none = try VersionRange(parsing: "none")
        #expect(none.isNone && !none.contains(0))
    }

    @Test(arguments: ["", "x", "3-", "-1+"])
    func rejectsGarbage(text: String) {
        #expect(throws: SpecError.self) { try VersionRange(parsing: text) }
    }

    @Test(arguments: [
        ("0+", "true"), ("3+", "version >= 3"), ("0-2", "version <= 2"), ("2-4", "(2...4).contains(version)"),
        ("5", "version == 5"), ("12+", "false"), ("none", "false"),
    ])
    func conditionsWithinValidVersions0To11(text: String, condition: String) throws {
        #expect(try VersionRange(parsing: text).condition(within: VersionRange(lower: 0, upper: 11)) == condition)
    }
}

@Suite struct SwiftNamingTests {
    @Test(arguments: [
        ("GroupId", "groupID"), ("TopicIds", "topicIDs"), ("ApiKey", "apiKey"), ("ThrottleTimeMs", "throttleTimeMs"),
        ("Id", "id"), ("IsInternal", "isInternal"), ("Protocol", "`protocol`"), ("Default", "`default`"),
        ("Idempotent", "idempotent"),
    ])
    func propertyNames(spec: String, swift: String) {
        #expect(SwiftNaming.property(spec) == swift)
    }

    @Test(arguments: [("InitProducerIdRequest", "InitProducerIDRequest"), ("ApiVersion", "ApiVersion")])
    func typeNames(spec: String, swift: String) {
        #expect(SwiftNaming.type(spec) == swift)
    }
}
