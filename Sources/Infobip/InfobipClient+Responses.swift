public import Foundation

extension InfobipClient {
    /// Interprets the response to `POST /whatsapp/1/message/template`.
    ///
    /// A 2xx with `{"messages":[...]}` returns every entry with its own status, including
    /// entries in group 5 `REJECTED`. A non-2xx returns
    /// ``InfobipFailure/http(status:error:retryAfter:)``.
    ///
    /// - Parameters:
    ///   - headers: Response headers, whose names are matched case-insensitively.
    ///   - now: The moment the response was read, for a `Retry-After` given as an HTTP-date.
    public static func interpretSend(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date = Date()
    ) -> Result<[SentMessageInfo], InfobipFailure> {
        interpret(status: status, headers: headers, body: body, now: now) { body in
            try JSONDecoder().decode(BulkMessageInfo.self, from: body).messages
        }
    }

    /// Interprets the response to `POST /whatsapp/1/message/text`: one entry, not wrapped in
    /// `messages`.
    public static func interpretSendText(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date = Date()
    ) -> Result<SentMessageInfo, InfobipFailure> {
        interpret(status: status, headers: headers, body: body, now: now) { body in
            try JSONDecoder().decode(SentMessageInfo.self, from: body)
        }
    }

    /// Interprets the response to `POST /whatsapp/2/senders/{sender}/templates`, normally 201
    /// with the created template.
    public static func interpretCreateTemplate(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date = Date()
    ) -> Result<InfobipTemplate, InfobipFailure> {
        interpret(status: status, headers: headers, body: body, now: now) { body in
            try JSONDecoder().decode(InfobipTemplate.self, from: body)
        }
    }

    /// Interprets the response to `GET /whatsapp/2/senders/{sender}/templates`,
    /// `{"templates":[...]}`.
    ///
    /// One malformed template makes the whole response invalid, naming its index, so that a
    /// sync never mistakes a partial list for the full one.
    public static func interpretListTemplates(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date = Date()
    ) -> Result<[InfobipTemplate], InfobipFailure> {
        interpret(status: status, headers: headers, body: body, now: now) { body in
            try JSONDecoder().decode(TemplateList.self, from: body).templates
        }
    }

    /// Interprets the response to `GET /whatsapp/1/templates`,
    /// `{"results":[...],"paging":{"page","size","totalPages","totalResults"}}`.
    public static func interpretTemplatePage(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date = Date()
    ) -> Result<InfobipTemplatePage, InfobipFailure> {
        interpret(status: status, headers: headers, body: body, now: now) { body in
            let wire = try JSONDecoder().decode(TemplateSearchResult.self, from: body)
            return InfobipTemplatePage(
                templates: wire.results,
                page: wire.paging?.page,
                size: wire.paging?.size,
                totalPages: wire.paging?.totalPages,
                totalResults: wire.paging?.totalResults
            )
        }
    }

    /// Interprets the response to `GET /whatsapp/1/senders/quality`, `{"results":[...]}`, and
    /// returns the results in Infobip's order.
    ///
    /// One malformed result makes the whole response invalid, naming its index.
    public static func interpretSenderQuality(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date = Date()
    ) -> Result<[SenderQuality], InfobipFailure> {
        interpret(status: status, headers: headers, body: body, now: now) { body in
            try JSONDecoder().decode(SenderQualityList.self, from: body).results
        }
    }

    /// Returns the HTTP failure for a non-2xx response, or nil for a 2xx.
    ///
    /// `retryAfter` is read from any status that carries the header, because Infobip does not
    /// document which statuses send it.
    public static func httpFailure(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date = Date()
    ) -> InfobipFailure? {
        guard !(200...299).contains(status) else { return nil }
        let retryAfter = RetryAfter.value(in: headers).flatMap { RetryAfter.parse($0, now: now) }
        return .http(
            status: status,
            error: InfobipAPIError.parse(body, status: status),
            retryAfter: retryAfter
        )
    }

    private static func interpret<T>(
        status: Int,
        headers: [String: String],
        body: Data,
        now: Date,
        decode: (Data) throws -> T
    ) -> Result<T, InfobipFailure> {
        if let failure = httpFailure(status: status, headers: headers, body: body, now: now) {
            return .failure(failure)
        }
        do {
            return .success(try decode(body))
        } catch let error as DecodingError {
            let reason = "HTTP \(status) body: \(decodingErrorReason(error, droppingPrefix: 0))"
            return .failure(.invalidResponse(reason: reason))
        } catch {
            return .failure(.invalidResponse(reason: "HTTP \(status) body: \(error)"))
        }
    }
}

/// 200 body of a template send (`BulkMessageInfo`), without the `bulkId` no caller needs.
private struct BulkMessageInfo: Decodable {
    var messages: [SentMessageInfo]
}

private struct TemplateList: Decodable {
    var templates: [InfobipTemplate]
}

private struct SenderQualityList: Decodable {
    var results: [SenderQuality]
}

private struct TemplateSearchResult: Decodable {
    struct Paging: Decodable {
        var page: Int?
        var size: Int?
        var totalPages: Int?
        var totalResults: Int?
    }

    var results: [InfobipTemplate]
    var paging: Paging?
}
