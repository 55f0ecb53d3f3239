import ArgumentParser
import KafkaClient

extension ClientOptions {
    /// Runs `body` with an admin client that is closed afterwards, whatever happens; errors
    /// are reported by ``Console/run(_:)``.
    func withAdmin(_ body: (KafkaAdmin) async throws -> Void) async throws {
        try await Console.run {
            let admin = try KafkaAdmin(configuration: clientConfiguration())
            do {
                try await body(admin)
            } catch {
                await admin.close()
                throw error
            }
            await admin.close()
        }
    }
}

/// Parses `key=value` arguments (`--config`, `--set`, `--header`).
func parseAssignment(_ text: String, option: String) throws -> (key: String, value: String) {
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
        throw ValidationError("\(option) expects key=value, got \"\(text)\"")
    }
    return (String(text[..<equals]), String(text[text.index(after: equals)...]))
}
