/// One page of `GET /whatsapp/1/templates`, Infobip's account-wide template search.
public struct InfobipTemplatePage: Sendable, Equatable {
    public var templates: [InfobipTemplate]
    /// Zero-based page number.
    public var page: Int?
    /// Templates per page, 1 to 100.
    public var size: Int?
    public var totalPages: Int?
    public var totalResults: Int?

    /// Creates a page.
    public init(
        templates: [InfobipTemplate],
        page: Int? = nil,
        size: Int? = nil,
        totalPages: Int? = nil,
        totalResults: Int? = nil
    ) {
        self.templates = templates
        self.page = page
        self.size = size
        self.totalPages = totalPages
        self.totalResults = totalResults
    }
}
