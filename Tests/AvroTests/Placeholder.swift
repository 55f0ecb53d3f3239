import Testing
@testable import Avro
