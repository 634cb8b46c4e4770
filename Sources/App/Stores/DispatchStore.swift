import Domain
import Foundation
import Postgres

/// SQL of the work queue: claiming ready messages with their senders, and the pacing state
/// that claims read and write. Every function runs inside the caller's transaction.
enum DispatchStore {
    /// The WABA of a claim, its portfolio's limit and the database's clock.
    struct ClaimContext: Sendable {
        var wabaID: UUID
        var baseURL: String
        var apiKeySealed: Data
        var portfolioID: UUID
        /// Unique recipients per rolling 24 hours; nil when unlimited.
        var messagingLimit: Int?
        var pausedUntil: Date?
        /// The transaction's timestamp, the one clock every instance shares.
        var now: Date
    }

    /// A sender locked for a claim.
    struct LockedSender: Sendable {
        var id: UUID
        var number: String
        var isActive: Bool
        var messagesPerSecond: Int
        var window: SenderRateWindow
    }

    /// A ready message locked for a claim.
    struct ReadyMessage: Sendable {
        var id: UUID
        var recipient: String
        var templateName: String
        var language: String
        var params: JSONValue
        var callbackData: String?
        var pinnedSenderID: UUID?
        var pinnedAttemptID: UUID?
        var excludedSenderIDs: [UUID]
        var currentAttemptID: UUID?
        var bulkID: UUID?
    }

    static func claimContext(_ connection: PostgresConnection, wabaID: UUID) throws
        -> ClaimContext?
    {
        let rows = try connection.query(
            """
            SELECT w.id, w.base_url, w.api_key_sealed, w.portfolio_id, w.dispatch_paused_until,
                   p.messaging_limit, now() AS now
            FROM wabas w JOIN portfolios p ON p.id = w.portfolio_id
            WHERE w.id = \(wabaID)
            """
        )
        return try rows.first.map { row in
            ClaimContext(
                wabaID: try row.decode("id"),
                baseURL: try row.decode("base_url"),
                apiKeySealed: try row.decode("api_key_sealed"),
                portfolioID: try row.decode("portfolio_id"),
                messagingLimit: try row.decode("messaging_limit", as: Int?.self),
                pausedUntil: try row.decode("dispatch_paused_until", as: Date?.self),
                now: try row.decode("now")
            )
        }
    }

    /// Returns the WABA's ACTIVE and PAUSED senders, best quality first, then least recently
    /// used, without locking them.
    static func senders(_ connection: PostgresConnection, wabaID: UUID) throws -> [LockedSender] {
        let rows = try connection.query(
            """
            SELECT id, number, status, messages_per_second, recent_batch_at, recent_batch_sizes
            FROM senders
            WHERE waba_id = \(wabaID) AND status IN ('ACTIVE', 'PAUSED')
            ORDER BY quality_rank DESC, last_used_at ASC NULLS FIRST, id
            """
        )
        return try rows.map(lockedSender(from:))
    }

    /// Locks the first `limit` senders among `ids`, in selection order, that no other claim
    /// holds, and returns their current state.
    static func lockSenders(_ connection: PostgresConnection, ids: [UUID], limit: Int) throws
        -> [LockedSender]
    {
        let rows = try connection.query(
            """
            SELECT id, number, status, messages_per_second, recent_batch_at, recent_batch_sizes
            FROM senders
            WHERE id = ANY(\(ids)::uuid[]) AND status IN ('ACTIVE', 'PAUSED')
            ORDER BY quality_rank DESC, last_used_at ASC NULLS FIRST, id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
            """
        )
        return try rows.map(lockedSender(from:))
    }

    /// Returns the senders that ready messages of the WABA are pinned to.
    ///
    /// It asks per sender, through the index of pinned messages, so the plan stays cheap right
    /// after a bulk, when the table's statistics do not know its rows yet; a scan of the WABA's
    /// ready messages cost 100 ms per claim then.
    static func pinnedSenders(_ connection: PostgresConnection, wabaID: UUID, now: Date) throws
        -> Set<UUID>
    {
        let rows = try connection.query(
            """
            SELECT s.id AS pinned_sender_id FROM senders s
            WHERE s.waba_id = \(wabaID) AND EXISTS (
                SELECT 1 FROM messages m
                WHERE m.pinned_sender_id = s.id AND m.queue_state = 'queued'
                  AND m.next_attempt_at <= \(now))
            """
        )
        return Set(try rows.map { try $0.decode("pinned_sender_id", as: UUID.self) })
    }

    private static func lockedSender(from row: PostgresRow) throws -> LockedSender {
        let instants = try row.decode("recent_batch_at", as: [Date].self)
        let sizes = try row.decode("recent_batch_sizes", as: [Int].self)
        let entries = zip(instants, sizes).map { SenderRateWindow.Entry(at: $0, size: $1) }
        return LockedSender(
            id: try row.decode("id"),
            number: try row.decode("number"),
            isActive: try row.decode("status", as: String.self) == "ACTIVE",
            messagesPerSecond: try row.decode("messages_per_second"),
            window: SenderRateWindow(entries: entries)
        )
    }

    /// Locks up to `limit` ready messages of the WABA that the given senders may carry, oldest
    /// first, skipping messages another claim holds.
    static func lockReadyMessages(
        _ connection: PostgresConnection,
        wabaID: UUID,
        now: Date,
        activeSenders: [UUID],
        pausedSenders: [UUID],
        limit: Int,
        only messageIDs: [UUID]?,
        ignoringSchedule: Bool
    ) throws -> [ReadyMessage] {
        let restriction = messageIDs == nil ? "" : "AND id = ANY($6::uuid[])"
        let schedule = ignoringSchedule ? "" : "AND next_attempt_at <= $2"
        var binds: [(any PostgresEncodable)?] = [wabaID, now, activeSenders, pausedSenders, limit]
        if let messageIDs {
            binds.append(messageIDs)
        }
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, recipient, template_name, language, params, callback_data,
                           pinned_sender_id, pinned_attempt_id, excluded_sender_ids,
                           current_attempt_id, bulk_id
                    FROM messages
                    WHERE waba_id = $1 AND queue_state = 'queued' \(schedule)
                      AND (expires_at IS NULL OR expires_at > $2)
                      AND (pinned_sender_id IS NULL OR pinned_sender_id = ANY($3::uuid[])
                           OR (pinned_attempt_id IS NOT NULL
                               AND pinned_sender_id = ANY($4::uuid[])))
                      \(restriction)
                    ORDER BY next_attempt_at, id
                    LIMIT $5
                    FOR UPDATE SKIP LOCKED
                    """,
                binds: binds
            )
        )
        return try rows.map { row in
            let params: PostgresJSON = try row.decode("params")
            return ReadyMessage(
                id: try row.decode("id"),
                recipient: try row.decode("recipient"),
                templateName: try row.decode("template_name"),
                language: try row.decode("language"),
                params: (try? JSONValue.parse(params.data)) ?? .null,
                callbackData: try row.decode("callback_data", as: String?.self),
                pinnedSenderID: try row.decode("pinned_sender_id", as: UUID?.self),
                pinnedAttemptID: try row.decode("pinned_attempt_id", as: UUID?.self),
                excludedSenderIDs: try row.decode("excluded_sender_ids", as: [UUID].self),
                currentAttemptID: try row.decode("current_attempt_id", as: UUID?.self),
                bulkID: try row.decode("bulk_id", as: UUID?.self)
            )
        }
    }

    /// Returns the theoretical instants of the pairs among `senderIDs` × `recipients` that are
    /// not rested at `now`; a pair that is missing is rested. The key starts with the
    /// recipient, so the lookup takes one index probe per recipient, whatever the number of
    /// senders.
    static func pairInstants(
        _ connection: PostgresConnection,
        senderIDs: [UUID],
        recipients: [String],
        now: Date
    ) throws -> [BatchPlanner.Pair: Date] {
        let rows = try connection.query(
            """
            SELECT sender_id, recipient, theoretical_at FROM pair_pacing
            WHERE recipient = ANY(\(recipients)::text[]) AND sender_id = ANY(\(senderIDs)::uuid[])
                AND theoretical_at > \(now)
            """
        )
        var instants: [BatchPlanner.Pair: Date] = [:]
        for row in rows {
            let pair = BatchPlanner.Pair(
                senderID: try row.decode("sender_id"),
                recipient: try row.decode("recipient")
            )
            instants[pair] = try row.decode("theoretical_at", as: Date.self)
        }
        return instants
    }

    static func savePairInstants(
        _ connection: PostgresConnection,
        _ instants: [BatchPlanner.Pair: Date]
    ) throws {
        guard !instants.isEmpty else { return }
        let pairs = Array(instants)
        try connection.execute(
            """
            INSERT INTO pair_pacing (sender_id, recipient, theoretical_at)
            SELECT * FROM unnest(\(pairs.map(\.key.senderID))::uuid[],
                                 \(pairs.map(\.key.recipient))::text[],
                                 \(pairs.map(\.value))::timestamptz[])
            ON CONFLICT (sender_id, recipient)
            DO UPDATE SET theoretical_at = GREATEST(pair_pacing.theoretical_at,
                                                    EXCLUDED.theoretical_at)
            """
        )
    }

    static func insertBatch(
        _ connection: PostgresConnection,
        id: UUID,
        instanceID: String,
        wabaID: UUID,
        lease: Duration
    ) throws {
        try connection.execute(
            """
            INSERT INTO dispatch_batches (id, instance_id, waba_id, lease_expires_at)
            VALUES (\(id), \(instanceID), \(wabaID),
                    now() + make_interval(secs => \(lease.seconds)::float8))
            """
        )
    }

    /// Returns how many attempts each message has made so far.
    static func attemptCounts(_ connection: PostgresConnection, messageIDs: [UUID]) throws
        -> [UUID: Int]
    {
        guard !messageIDs.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT message_id, count(*) AS attempts FROM message_attempts
            WHERE message_id = ANY(\(messageIDs)::uuid[]) GROUP BY message_id
            """
        )
        var counts: [UUID: Int] = [:]
        for row in rows {
            counts[try row.decode("message_id")] = try row.decode("attempts", as: Int.self)
        }
        return counts
    }

    /// Reopens attempts that are repeated with the same Infobip message id.
    static func reopenAttempts(_ connection: PostgresConnection, ids: [UUID]) throws
        -> [UUID: MessageAttempt]
    {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            UPDATE message_attempts SET outcome = \(MessageAttempt.pendingOutcome),
                finished_at = NULL
            WHERE id = ANY(\(ids)::uuid[])
            RETURNING *
            """
        )
        var attempts: [UUID: MessageAttempt] = [:]
        for row in rows {
            let attempt = try MessageStore.attempt(from: row)
            attempts[attempt.id] = attempt
        }
        return attempts
    }

    static func insertAttempts(
        _ connection: PostgresConnection,
        _ attempts: [(messageID: UUID, recipient: String, attempt: MessageAttempt)]
    ) throws {
        guard !attempts.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO message_attempts (id, message_id, attempt_number, sender_id,
                                          sender_number, infobip_message_id, outcome, recipient,
                                          started_at)
            SELECT * FROM unnest(\(attempts.map(\.attempt.id))::uuid[],
                                 \(attempts.map(\.messageID))::uuid[],
                                 \(attempts.map(\.attempt.attemptNumber))::int[],
                                 \(attempts.map(\.attempt.senderId))::uuid[],
                                 \(attempts.map(\.attempt.senderNumber))::text[],
                                 \(attempts.map(\.attempt.infobipMessageId))::text[],
                                 \(attempts.map(\.attempt.outcome))::text[],
                                 \(attempts.map(\.recipient))::text[],
                                 \(attempts.map(\.attempt.startedAt))::timestamptz[])
            """
        )
    }

    /// Moves claimed messages to SENDING in `batchID`, each with its attempt and sender.
    static func markSending(
        _ connection: PostgresConnection,
        batchID: UUID,
        items: [DispatchBatch.Item]
    ) throws {
        try connection.execute(
            """
            UPDATE messages m SET status = 'SENDING', batch_id = \(batchID),
                current_attempt_id = u.attempt_id, pinned_attempt_id = NULL,
                pinned_sender_id = NULL, wait_reason = NULL, awaiting_report_until = NULL,
                updated_at = now()
            FROM unnest(\(items.map(\.messageID))::uuid[],
                        \(items.map(\.attempt.id))::uuid[]) AS u(id, attempt_id)
            WHERE m.id = u.id
            """
        )
    }

    /// A QUEUED message's new ready instant, pin and reason.
    struct Deferral: Sendable {
        var messageID: UUID
        var until: Date
        var pinnedSenderID: UUID?
        var reason: WaitReason
    }

    static func deferMessages(_ connection: PostgresConnection, _ deferrals: [Deferral]) throws {
        guard !deferrals.isEmpty else { return }
        try connection.execute(
            """
            UPDATE messages m SET next_attempt_at = u.until,
                pinned_sender_id = NULLIF(u.pin, '')::uuid, wait_reason = u.reason,
                updated_at = now()
            FROM unnest(\(deferrals.map(\.messageID))::uuid[],
                        \(deferrals.map(\.until))::timestamptz[],
                        \(deferrals.map { $0.pinnedSenderID?.postgresText ?? "" })::text[],
                        \(deferrals.map(\.reason.rawValue))::text[]) AS u(id, until, pin, reason)
            WHERE m.id = u.id
            """
        )
    }

    /// Locks senders in id order, the order in which score updates lock them too, and returns
    /// their rate windows.
    static func lockRateWindows(_ connection: PostgresConnection, senderIDs: [UUID]) throws
        -> [UUID: SenderRateWindow]
    {
        let rows = try connection.query(
            """
            SELECT id, recent_batch_at, recent_batch_sizes FROM senders
            WHERE id = ANY(\(senderIDs)::uuid[]) ORDER BY id FOR UPDATE
            """
        )
        var windows: [UUID: SenderRateWindow] = [:]
        for row in rows {
            let instants = try row.decode("recent_batch_at", as: [Date].self)
            let sizes = try row.decode("recent_batch_sizes", as: [Int].self)
            windows[try row.decode("id")] = SenderRateWindow(
                entries: zip(instants, sizes).map { SenderRateWindow.Entry(at: $0, size: $1) }
            )
        }
        return windows
    }

    /// Stores a sender's rate window and leaves `last_used_at` as it is.
    static func saveRateWindow(
        _ connection: PostgresConnection,
        senderID: UUID,
        window: SenderRateWindow
    ) throws {
        try connection.execute(
            """
            UPDATE senders SET recent_batch_at = \(window.entries.map(\.at))::timestamptz[],
                recent_batch_sizes = \(window.entries.map(\.size))::int[]
            WHERE id = \(senderID)
            """
        )
    }

    /// Stores a sender's rate window after a claim and marks it used now.
    static func recordSenderUse(
        _ connection: PostgresConnection,
        senderID: UUID,
        window: SenderRateWindow
    ) throws {
        try connection.execute(
            """
            UPDATE senders SET last_used_at = clock_timestamp(),
                recent_batch_at = \(window.entries.map(\.at))::timestamptz[],
                recent_batch_sizes = \(window.entries.map(\.size))::int[]
            WHERE id = \(senderID)
            """
        )
    }
}
