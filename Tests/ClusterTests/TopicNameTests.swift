import Testing
@testable import Cluster

@Suite struct TopicNameTests {
    @Test(arguments: ["orders", "a", "A.b_c-9", "__consumer_offsets", String(repeating: "x", count: 249)])
    func legalNames(name: String) {
        #expect(TopicName.validationError(name) == nil)
    }

    @Test(arguments: [
        ("", "empty"), (".", "'.' or '..'"), ("..", "'.' or '..'"),
        (String(repeating: "x", count: 250), "250 characters"),
        ("with space", "contains ' '"), ("slash/es", "contains '/'"), ("é", "contains 'é'"),
    ])
    func illegalNamesSayWhy(name: String, reason: String) {
        let error = TopicName.validationError(name)
        #expect(error?.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func dotsAndUnderscoresCollide() {
        #expect(TopicName.collides("a.b", with: "a_b"))
        #expect(!TopicName.collides("a.b", with: "a.b"))
        #expect(!TopicName.collides("a.b", with: "a-b"))
    }

    @Test func internalTopics() {
        #expect(TopicName.isInternal("__consumer_offsets"))
        #expect(TopicName.isInternal("_schemas"))
        #expect(!TopicName.isInternal("schemas"))
    }
}
