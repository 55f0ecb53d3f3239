import Foundation
import Testing
@testable import SluiceNode

@Suite struct DataDirectoryLockTests {
    @Test func secondLockOnTheSameDirectoryFailsAndTheFirstReleasesOnDeinit() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }

        var first: DataDirectoryLock? = try DataDirectoryLock(directory: directory)
        // flock locks belong to the open file description, so a second open in the same
        // process conflicts exactly as a second process would.
        do {
            _ = try DataDirectoryLock(directory: directory)
            Issue.record("the second lock was granted")
        } catch let error as DataDirectoryLockError {
            #expect(error.message.contains("in use by another sluice process"))
            #expect(error.message.contains("pid \(getpid())"))
        }
        #expect(first != nil)
        first = nil
        _ = try DataDirectoryLock(directory: directory)
    }
}
