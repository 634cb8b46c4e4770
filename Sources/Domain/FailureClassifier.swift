/// The one table that maps Infobip's and Meta's failure signals to a ``FailureCause``.
///
/// Sources: Infobip's message status ids and "chat error codes" (7001–7281) from Infobip's
/// response status and error code page, and Meta's Cloud API error codes from
/// developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes.
/// Infobip does not document how Meta's codes reach its reports, so Meta codes are matched only
/// when an error id outside Infobip's own ranges arrives.
public enum FailureClassifier {
    /// Classifies a non-2xx HTTP answer to a send request.
    ///
    /// - Parameters:
    ///   - httpStatus: The answer's status code.
    ///   - errorCode: Infobip's error code from the body (`UNAUTHORIZED` or `E401` style), if any.
    public static func classify(httpStatus: Int, errorCode: String?) -> FailureCause {
        switch httpStatus {
        case 401, 403:
            // A rejected API key or a missing scope is the same for every sender of the WABA.
            return .account
        case 404:
            // Infobip answers 404 when the sender in a path is not on the account.
            return .sender
        case 408, 429:
            return .transient
        case 400..<500:
            return .content
        default:
            return .transient
        }
    }

    /// Classifies a message status from a send answer or a delivery report.
    ///
    /// - Parameters:
    ///   - groupId: Infobip's status group: 1 PENDING, 2 UNDELIVERABLE, 3 DELIVERED, 4 EXPIRED,
    ///     5 REJECTED.
    ///   - statusId: Infobip's status id, such as 13 for REJECTED_SENDER.
    ///   - errorId: The `error.id` of a report, when present; 0 means no error.
    /// - Returns: `nil` when the status is not a failure.
    public static func classify(groupId: Int, statusId: Int, errorId: Int?) -> FailureCause? {
        guard failureGroups.contains(groupId) else { return nil }
        if let errorId, errorId != 0, let cause = cause(forErrorCode: errorId) {
            return cause
        }
        return statusCauses[statusId] ?? defaultCause(forGroup: groupId)
    }

    /// Classifies an Infobip chat error code or a Meta error code.
    public static func cause(forErrorCode code: Int) -> FailureCause? {
        if let cause = infobipErrorCauses[code] ?? metaErrorCauses[code] {
            return cause
        }
        // Meta's permission errors take the whole 200–299 range.
        if (200...299).contains(code) {
            return .account
        }
        return nil
    }

    /// UNDELIVERABLE, EXPIRED and REJECTED.
    private static let failureGroups: Set<Int> = [2, 4, 5]

    /// A failure nobody listed is kept on this sender and not retried elsewhere: hopping to
    /// another sender on a guess could deliver the message twice.
    private static func defaultCause(forGroup groupId: Int) -> FailureCause {
        groupId == 4 ? .recipient : .content
    }

    /// Infobip message status ids.
    private static let statusCauses: [Int: FailureCause] = [
        4: .recipient,  // UNDELIVERABLE_REJECTED_OPERATOR
        6: .recipient,  // REJECTED_NETWORK
        8: .recipient,  // REJECTED_PREFIX_MISSING
        9: .recipient,  // UNDELIVERABLE_NOT_DELIVERED
        10: .recipient,  // REJECTED_DND
        11: .sender,  // REJECTED_SOURCE
        12: .account,  // REJECTED_NOT_ENOUGH_CREDITS
        13: .sender,  // REJECTED_SENDER
        14: .recipient,  // REJECTED_DESTINATION_BLOCKLISTED
        15: .recipient,  // EXPIRED_EXPIRED
        17: .account,  // REJECTED_PREPAID_PACKAGE_EXPIRED
        18: .recipient,  // REJECTED_DESTINATION_NOT_REGISTERED
        19: .recipient,  // REJECTED_ROUTE_NOT_AVAILABLE
        20: .transient,  // REJECTED_FLOODING_FILTER
        21: .transient,  // REJECTED_SYSTEM_ERROR
        23: .duplicate,  // REJECTED_DUPLICATE_MESSAGE_ID
        24: .content,  // REJECTED_INVALID_UDH
        25: .content,  // REJECTED_MESSAGE_TOO_LONG
        29: .recipient,  // EXPIRED_DLR_UNKNOWN
        31: .recipient,  // UNDELIVERABLE_NOT_SENT
        51: .recipient,  // MISSING_TO
        52: .recipient,  // REJECTED_DESTINATION
        87: .recipient,  // SIGNALS_BLOCKED
        100: .content,  // UNDELIVERABLE_REJECTED_PLATFORM
    ]

    /// Infobip chat error codes (WhatsApp, Viber, RCS).
    private static let infobipErrorCauses: [Int: FailureCause] = [
        7001: .account,  // EC_UNKNOWN_APPLICATION
        7002: .recipient,  // EC_UNKNOWN_USER
        7003: .recipient,  // EC_BLOCKED_USER
        7004: .account,  // EC_UNAUTHORIZED_ACCESS
        7005: .account,  // EC_FORBIDDEN_ACCESS
        7006: .content,  // EC_BAD_REQUEST
        7007: .sender,  // EC_ILLEGAL_TRAFFIC_TYPE: content does not fit the sender's traffic type
        7008: .content,  // EC_INVALID_TEMPLATE_ARGS
        7009: .content,  // EC_INVALID_TEMPLATE
        7010: .recipient,  // EC_NO_SESSION: the recipient's 24-hour window is closed
        7011: .account,  // EC_ACCOUNT_ISSUE
        7012: .account,  // EC_DEPLOYMENT_CONFIGURATION_ERROR
        7013: .content,  // EC_MEDIA_HOSTING_ERROR
        7014: .content,  // EC_MEDIA_UPLOAD_ERROR
        7015: .content,  // EC_MEDIA_METADATA_ERROR
        7016: .sender,  // EC_SPAM_RATE: a cap based on this sender's quality
        7017: .rateLimited,  // EC_TOO_MANY_REQUESTS
        7018: .content,  // EC_INTERNAL_BAD_MAPPING
        7019: .account,  // EC_PROVIDER_BILLING_ERROR
        7020: .recipient,  // EC_DEVICE_REPRODUCTION_ERROR
        7021: .account,  // EC_LIMITED_FUNCTIONALITY
        7022: .content,  // EC_MEDIA_UNSUPPORTED
        7023: .content,  // EC_DATA_MISMATCH
        7024: .transient,  // EC_NOT_ALLOWED_SENDING_TIME
        7025: .recipient,  // EC_UNSUPPORTED_MOBILE_APP_VERSION
        7026: .account,  // EC_MESSAGE_TYPE_EXHAUSTED
        7027: .content,  // EC_BLOCKED_CONTENT
        7029: .recipient,  // EC_USER_IDENTITY_CHANGED
        7030: .recipient,  // EC_TEMPLATE_BLOCKED_BY_USER
        7031: .content,  // EC_INVALID_WA_FLOW
        7032: .recipient,  // EC_FREQUENCY_CAPPING
        7033: .recipient,  // EC_MARKETING_OPT_OUT
        7034: .sender,  // EC_SENDER_NOT_REGISTERED
        7035: .account,  // EC_CALL_PERMISSION_REQUEST_FAILED
        7036: .transient,  // EC_TEMPLATE_NOT_SYNCED: ad sync pending, up to 10 minutes
        7037: .content,  // EC_TEMPLATE_NOT_AVAILABLE
        7038: .account,  // EC_INVALID_WA_ACCOUNT_TYPE
        7050: .transient,  // EC_PROVIDER_INTERNAL_ERROR
        7051: .transient,  // EC_PROVIDER_TIMEOUT
        7052: .transient,  // EC_PROVIDER_DR_ERROR
        7080: .transient,  // EC_INTERNAL_ERROR
        7081: .sender,  // EC_CONFIGURATION_ERROR: sender configuration or country
        7082: .transient,  // EC_TEMPORARY_GATEWAY_ERROR
        7083: .account,  // EC_SERVICE_NOT_ACTIVATED
        7084: .sender,  // EC_MISSING_SENDER_METADATA
        7102: .recipient,  // EC_PHONE_MATCHING_DISABLED
        7201: .recipient,  // EC_UNSUPPORTED_DEVICE
        7280: .duplicate,  // EC_DUPLICATE_REQUEST
        7281: .account,  // EC_BAD_ORIGIN
    ]

    /// Meta Cloud API error codes.
    private static let metaErrorCauses: [Int: FailureCause] = [
        // Recipient: another sender will not help.
        131026: .recipient, 131021: .recipient, 131047: .recipient, 131049: .recipient,
        131050: .recipient, 130472: .recipient, 137000: .recipient, 131030: .recipient,
        470: .recipient,
        // Content and template: fix the message, no sender helps.
        131051: .content, 131052: .content, 131053: .content, 131008: .content,
        131009: .content, 100: .content, 135000: .content, 132000: .content,
        132005: .content, 132007: .content, 132012: .content, 132001: .content,
        132015: .content, 132016: .content,
        // This sender: another sender of the WABA may help.
        131048: .sender, 133010: .sender, 131045: .sender, 131037: .sender, 33: .sender,
        133016: .sender, 471: .sender,
        // This sender, briefly: throughput or maintenance.
        130429: .senderThrottled, 131057: .senderThrottled, 2_494_100: .senderThrottled,
        // The WABA, portfolio, app or token.
        131031: .account, 368: .account, 130497: .account, 131042: .account,
        134011: .account, 80007: .account, 4: .account, 0: .account, 190: .account,
        3: .account, 10: .account, 131005: .account,
        // The pair rate limit: back off on the same sender, never rotate senders to dodge it.
        131056: .rateLimited,
        // Passing faults.
        131000: .transient, 131016: .transient, 1: .transient,
        2: .transient, 133004: .transient, 133015: .transient,
    ]
}
