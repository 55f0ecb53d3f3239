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

    @Test func healthFollowsTheSharedState() {
        let health = NodeHealth()
        #expect(health.current == .recovering)
        health.set(.serving)
        #expect(health.current == .serving)
    }
}
