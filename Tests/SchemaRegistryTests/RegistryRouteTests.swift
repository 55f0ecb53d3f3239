import Testing
@testable import SchemaRegistry

@Suite struct RegistryRouteTests {
    @Test(arguments: [
        ("GET", "/", RegistryEndpoint.root),
        ("GET", "/subjects/", .subjects),
        ("POST", "/subjects/a%2Fb-value/versions", .register(subject: "a/b-value")),
        ("POST", "/subjects/t-value", .lookup(subject: "t-value")),
        ("GET", "/subjects/t-value/versions/latest/schema", .versionSchemaText(subject: "t-value", version: "latest")),
        ("DELETE", "/subjects/t-value/versions/2", .deleteVersion(subject: "t-value", version: "2")),
        ("POST", "/compatibility/subjects/t-value/versions/", .compatibilityWithAll(subject: "t-value")),
        ("POST", "/compatibility/subjects/t-value/versions/1", .compatibilityWithVersion(subject: "t-value", version: "1")),
        ("GET", "/config/", .getConfig(subject: nil)),
        ("PUT", "/config/t%20v", .putConfig(subject: "t v")),
        ("DELETE", "/mode", .deleteMode(subject: nil)),
        ("GET", "/schemas/ids/7/versions", .versionsByID("7")),
        ("GET", "/schemas/guids/abc/ids", .idsByGUID("abc")),
        ("GET", "/schemas/types", .schemaTypes),
    ])
    func matches(method: String, path: String, endpoint: RegistryEndpoint) throws {
        #expect(try RegistryRoute.match(method: method, rawPath: path).get() == endpoint)
    }

    @Test(arguments: [
        ("GET", "/nothing", 404),
        ("GET", "/subjects/a/b/c", 404),
        ("GET", "/subjects/%zz", 404),
        ("PATCH", "/subjects", 405),
        ("PUT", "/subjects/x/versions", 405),
        ("DELETE", "/schemas/ids/1", 405),
    ])
    func rejects(method: String, path: String, code: Int) {
        guard case .failure(let error) = RegistryRoute.match(method: method, rawPath: path) else {
            Issue.record("\(method) \(path) matched")
            return
        }
        #expect(error.errorCode == code)
        #expect(error.httpStatus == code)
    }

    @Test(arguments: [("latest", -1), (" LATEST ", -1), ("-1", -1), ("1", 1), ("2147483647", 2147483647)])
    func versionNumbers(text: String, number: Int) throws {
        #expect(try SchemaRegistry.versionNumber(text) == number)
    }

    @Test(arguments: ["0", "-2", "x", "2147483648", ""])
    func invalidVersionNumbers(text: String) {
        #expect(throws: RegistryError.self) { try SchemaRegistry.versionNumber(text) }
    }
}
