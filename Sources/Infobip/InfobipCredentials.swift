public import Foundation

/// The account URL and API key that authenticate one call to Infobip.
///
/// The description and debug description hide the key, so a credentials value that ends up in
/// string interpolation or a log line does not leak it.
public struct InfobipCredentials: Sendable, Equatable {
    /// Account base URL such as `https://xyz.api.infobip.com`, already normalised by the caller.
    ///
    /// A path in it is kept, and endpoint paths are appended after it.
    public var baseURL: URL

    /// API key as pasted by the user. A leading `App ` is allowed and is not sent twice.
    public var apiKey: String

    /// Creates credentials for one account.
    public init(baseURL: URL, apiKey: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    /// Value of the `Authorization` header: `App <key>`.
    ///
    /// Whitespace around the key and one leading `App ` (matched case-insensitively) are removed
    /// first, so a key copied together with its scheme is not sent as `App App <key>`.
    public var authorizationHeader: String {
        var key = apiKey.trimmingCharacters(in: .whitespacesAndNewlines)
        if key.lowercased().hasPrefix("app ") {
            key = String(key.dropFirst(4)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return "App \(key)"
    }
}

extension InfobipCredentials: CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var description: String {
        "InfobipCredentials(baseURL: \(baseURL.absoluteString), apiKey: <redacted>)"
    }

    public var debugDescription: String { description }

    /// A mirror without the key, so `dump` and debuggers do not print it either.
    public var customMirror: Mirror {
        Mirror(self, children: ["baseURL": baseURL, "apiKey": "<redacted>"])
    }
}
