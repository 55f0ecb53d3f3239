import KafkaProtocol

extension Broker {
    /// ApiVersions 0-4: the advertised table. Versions newer than 4 never reach here: the router
    /// answers them in v0 with UNSUPPORTED_VERSION. (Its response header is always v0.)
    func apiVersions(_ request: ApiVersionsRequest, _ context: RequestContext) -> ApiVersionsResponse {
        var response = ApiVersionsResponse()
        response.apiKeys = Self.apiVersionEntries(endpoints().sorted { $0.apiKey < $1.apiKey })
        return response
    }
}
