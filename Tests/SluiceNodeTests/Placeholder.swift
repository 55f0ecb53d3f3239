import Testing
@testable import SluiceNode
