import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Reason an Infobip call did not return a documented success.
///
/// The cases separate what the caller must treat differently: a definite response from the
/// server, an unknown outcome that must not be retried blindly, and a request that never left.
public enum InfobipFailure: Error, Sendable, Equatable {
    /// The server responded with a non-2xx status.
    ///
    /// `error` is the parsed error body, nil when the body has no known shape. `retryAfter`
    /// is the `Retry-After` header as a delay from the moment the response was read, nil when
    /// the header is absent or invalid.
    case http(status: Int, error: InfobipAPIError?, retryAfter: Duration?)
    /// The request may have reached Infobip but no response came, so the outcome is unknown.
    case timedOut
    /// The request never reached Infobip (DNS, refused connection, TLS), or its body could not
    /// be encoded: nothing was sent.
    case notSent(reason: String)
    /// A 2xx response whose body is not what the API documents.
    case invalidResponse(reason: String)

    /// Stable machine-readable name of the case: `http_<status>`, `timed_out`, `not_sent` or
    /// `invalid_response`.
    public var code: String {
        switch self {
        case .http(let status, _, _): "http_\(status)"
        case .timedOut: "timed_out"
        case .notSent: "not_sent"
        case .invalidResponse: "invalid_response"
        }
    }

    /// Maps an error thrown by `URLSession` to a failure.
    ///
    /// Only errors that prove the request was not transmitted become ``notSent(reason:)``:
    /// host lookup failures, refused or impossible connections, TLS handshake and certificate
    /// failures, and invalid URLs. `URLError.timedOut` becomes ``timedOut`` even though
    /// `URLSession` also reports a connect timeout with it, because the two cannot be
    /// distinguished. A dropped connection, a malformed response, a cancellation and every
    /// other error also become ``timedOut``, since the request may have been processed and a
    /// retry could send the message twice.
    ///
    /// NOTE: Tests exercise only the refused-connection and timeout cases against real
    /// sockets. The DNS and TLS codes are mapped from their documented meaning in `URLError`.
    public static func fromTransportError(_ error: any Error) -> InfobipFailure {
        guard let urlError = error as? URLError else { return .timedOut }
        switch urlError.code {
        case .cannotFindHost, .dnsLookupFailed:
            return .notSent(reason: "host not found (URLError \(urlError.code.rawValue))")
        case .cannotConnectToHost, .notConnectedToInternet, .internationalRoamingOff,
            .callIsActive, .dataNotAllowed:
            return .notSent(reason: "connection failed (URLError \(urlError.code.rawValue))")
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid,
            .clientCertificateRejected, .clientCertificateRequired,
            .appTransportSecurityRequiresSecureConnection:
            return .notSent(reason: "TLS handshake failed (URLError \(urlError.code.rawValue))")
        case .badURL, .unsupportedURL:
            return .notSent(reason: "invalid URL (URLError \(urlError.code.rawValue))")
        default:
            return .timedOut
        }
    }
}

extension InfobipFailure: CustomStringConvertible {
    /// A summary safe to log: the status and error code, never credentials or message content.
    public var description: String {
        switch self {
        case .http(let status, let error, let retryAfter):
            var text = "HTTP \(status)"
            if let error {
                text += " \(error.code): \(error.text)"
            }
            if let retryAfter {
                text += " (retry after \(retryAfter.components.seconds) s)"
            }
            return text
        case .timedOut:
            return "no response from Infobip; the outcome is unknown"
        case .notSent(let reason):
            return "request not sent: \(reason)"
        case .invalidResponse(let reason):
            return "invalid response from Infobip: \(reason)"
        }
    }
}
