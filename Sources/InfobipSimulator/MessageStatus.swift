/// The `status` and `error` objects that the simulator puts in send responses and delivery
/// reports, with Infobip's ids, group ids and names.
enum MessageStatus {
    /// Returned in the send response for every accepted message.
    static let pendingEnroute: JSONValue = [
        "groupId": 1, "groupName": "PENDING", "id": 7, "name": "PENDING_ENROUTE",
        "description": "Message sent to next instance",
    ]

    // NOTE: the descriptions of ids 13, 23 and 52 come from an older Infobip status table
    // (SMS era); no published WhatsApp example confirms them.
    static let rejectedSender: JSONValue = [
        "groupId": 5, "groupName": "REJECTED", "id": 13, "name": "REJECTED_SENDER",
        "description": "By Sender",
    ]

    static let rejectedDestination: JSONValue = [
        "groupId": 5, "groupName": "REJECTED", "id": 52, "name": "REJECTED_DESTINATION",
        "description": "Invalid destination address",
    ]

    static let rejectedDuplicateMessageId: JSONValue = [
        "groupId": 5, "groupName": "REJECTED", "id": 23, "name": "REJECTED_DUPLICATE_MESSAGE_ID",
        "description": "Rejected duplicate message ID",
    ]

    /// Final status of a delivery report for a delivered message.
    static let deliveredToHandset: JSONValue = [
        "id": 5, "groupId": 3, "groupName": "DELIVERED", "name": "DELIVERED_TO_HANDSET",
        "description": "Message delivered to handset",
    ]

    /// Final status of a delivery report for an undeliverable message.
    static let undeliverableNotDelivered: JSONValue = [
        "id": 9, "groupId": 2, "groupName": "UNDELIVERABLE", "name": "UNDELIVERABLE_NOT_DELIVERED",
        "description": "Message sent not delivered",
    ]

    /// Error object of a successful delivery report.
    static let noError: JSONValue = [
        "id": 0, "name": "NO_ERROR", "description": "No Error", "groupId": 0, "groupName": "OK",
        "permanent": false,
    ]

    /// Error object of a message refused for sending too fast, such as Meta's pair rate limit
    /// (131056: one business number to one user).
    ///
    /// Id, name and `permanent: false` come from Infobip's error code table, which files 7017
    /// among the chat client errors, group 1. The group name follows ``unknownUser``, which is
    /// in the same group. NOTE: that Infobip reports Meta's 131056 as 7017 is inferred from the
    /// two descriptions, and the description text summarises Infobip's table entry. No
    /// published WhatsApp report shows either.
    static let tooManyRequests: JSONValue = [
        "id": 7017, "name": "EC_TOO_MANY_REQUESTS",
        "description": "The number of requests has exceeded the allowed limit", "groupId": 1,
        "groupName": "HANDSET_ERRORS", "permanent": false,
    ]

    /// Error object of an undeliverable message: the recipient is not on WhatsApp.
    static let unknownUser: JSONValue = [
        "id": 7002, "name": "EC_UNKNOWN_USER",
        "description": "No matching user found (on platform or on provider)", "groupId": 1,
        "groupName": "HANDSET_ERRORS", "permanent": true,
    ]
}
