import Testing
@testable import SluiceNode

@Suite struct AdminServerTests {
    @Test(arguments: [
        (NodeState.recovering, 503, "{\"status\":\"recovering\"}\n"),
        (NodeState.serving, 200, "{\"status\":\"serving\"}\n"),
        (NodeState.stopping, 503, "{\"status\":\"stopping\"}\n"),
    ])
    func healthIsOKOnlyWhileServing(state: NodeState, code: Int, body: String) {
        let (status, text) = AdminServer.healthResponse(for: state)
        #expect(status.code == code)
        #expect(text == body)
    }

    @Test func servesOnlyOnceEveryPartIsReady() {
        let health = NodeHealth(parts: ["kafka", "registry"])
        #expect(health.current == .recovering)
        health.ready("kafka")
        #expect(health.current == .recovering)
        #expect(health.pendingParts == ["registry"])
        health.ready("registry")
        #expect(health.current == .serving)
        health.stopping()
        #expect(health.current == .stopping)
    }
}
