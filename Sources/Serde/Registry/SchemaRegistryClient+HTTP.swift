import Foundation
import OrderedJSON

extension SchemaRegistryClient {
    /// The headers confluent-kafka sends: registries answer in their v1 JSON type.
    static let acceptHeader = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json"
    static let contentType = "application/vnd.schemaregistry.v1+json"

    /// One REST call: path segments are percent-encoded (a subject may hold `/`), the answer's
    /// JSON is returned for a 2xx, the registry's error otherwise. Retries follow
    /// ``RegistryRetryPolicy``; a URL that does not answer hands over to the next one.
    func call(_ method: String, _ segments: [String], query: [(String, String)] = [], body: JSONValue? = nil) async throws(SchemaRegistryError) -> JSONValue {
        var path = "/" + segments.map(Self.encodeSegment).joined(separator: "/")
        if !query.isEmpty {
            path += "?" + query.map { "\(Self.encodeSegment($0.0))=\(Self.encodeSegment($0.1))" }.joined(separator: "&")
        }
        let requestName = "\(method) \(path)"
        var headers: [(name: String, value: String)] = [("Accept", Self.acceptHeader), ("User-Agent", "sluice-serde")]
        if let auth = configuration.authentication.header { headers.append(auth) }
        let bodyBytes = body.map { Array($0.compactText.utf8) }
        if bodyBytes != nil { headers.append(("Content-Type", Self.contentType)) }

        let retry = configuration.retry
        var lastFailure = ""
        var attempts = 0
        for attempt in 0...max(0, retry.maxRetries) {
            if attempt > 0 {
                do {
                    try await Task.sleep(for: retry.backoff(attempt: attempt, random: Double.random(in: 0...1)))
                } catch {
                    throw .unreachable(request: requestName, attempts: attempts, reason: "cancelled; last: \(lastFailure)")
                }
            }
            for base in configuration.urls {
                attempts += 1
                let response: RegistryHTTPResponse
                do {
                    response = try await transport.send(RegistryHTTPRequest(method: method, url: base + path, headers: headers, body: bodyBytes))
                } catch {
                    lastFailure = "\(base): \(error)"
                    continue // the next URL, then the next round
                }
                if (200..<300).contains(response.status) {
                    if response.body.isEmpty { return .null }
                    do {
                        return try JSONParser.parse(response.body)
                    } catch {
                        throw .invalidResponse(request: requestName, reason: "not JSON (\(error)): \(Self.preview(response.body))")
                    }
                }
                let failure = Self.registryError(response, request: requestName)
                guard RegistryRetryPolicy.retriedStatuses.contains(response.status) else { throw failure }
                lastFailure = failure.description
                if attempt == retry.maxRetries { throw failure }
                break // a server error is retried after the backoff, from the first URL
            }
        }
        throw .unreachable(request: requestName, attempts: attempts, reason: lastFailure)
    }

    static func registryError(_ response: RegistryHTTPResponse, request: String) -> SchemaRegistryError {
        if let json = try? JSONParser.parse(response.body), let code = json["error_code"]?.integerValue {
            return .registry(httpStatus: response.status, errorCode: Int(code), message: json["message"]?.stringValue ?? "", request: request)
        }
        return .registry(httpStatus: response.status, errorCode: -1, message: preview(response.body), request: request)
    }

    static func preview(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.isEmpty ? "(empty body)" : text
    }

    /// Everything but RFC 3986's unreserved characters is escaped, as confluent-kafka-python does.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encodeSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
