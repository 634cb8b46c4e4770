import Domain
import Foundation
import Postgres

/// Claims a batch of ready messages of one WABA in one transaction: reserves its senders with
/// `FOR UPDATE SKIP LOCKED`, picks each message's sender, applies the per-sender, per-pair and
/// per-portfolio limits, records the attempts and leases the batch to this instance.
///
/// A claim never waits for a lock another claim holds: a busy sender or message is skipped, so
/// dispatchers on every instance spread over the senders.
struct BatchClaimer: Sendable {
    let configuration: DispatchConfiguration
    let instanceID: String

    /// Claims up to ``DispatchConfiguration/batchSize`` ready messages of `wabaID`, or only
    /// those of `messageIDs` when given.
    ///
    /// - Parameter ignoringSchedule: Claims the given messages even before their
    ///   `next_attempt_at`, for the first inline send of a message stored a moment ago.
    func claim(
        _ connection: PostgresConnection,
        wabaID: UUID,
        only messageIDs: [UUID]? = nil,
        ignoringSchedule: Bool = false
    ) throws -> ClaimOutcome {
        guard let context = try DispatchStore.claimContext(connection, wabaID: wabaID) else {
            return .empty
        }
        let now = context.now
        if let pausedUntil = context.pausedUntil, pausedUntil > now {
            return .waiting(until: pausedUntil)
        }

        var senders: [DispatchStore.LockedSender]
        let spare: [UUID]
        let wanted = min(configuration.batchSize, messageIDs?.count ?? configuration.batchSize)
        switch try reserveSenders(connection, wabaID: wabaID, wanted: wanted, now: now) {
        case .reserved(let locked, let unlocked):
            senders = locked
            spare = unlocked
        case .busy: return .busy
        case .full(let free): return .waiting(until: free)
        }
        let slots = senders.map { slot(for: $0, now: now) }
        let capacity = slots.reduce(0) { $0 + $1.capacity }
        guard capacity > 0 else {
            return .waiting(until: slots.map(\.nextFreeAt).min())
        }

        let ready = try DispatchStore.lockReadyMessages(
            connection,
            wabaID: wabaID,
            now: now,
            activeSenders: senders.filter(\.isActive).map(\.id),
            pausedSenders: senders.filter { !$0.isActive }.map(\.id),
            limit: min(wanted, capacity),
            only: messageIDs,
            ignoringSchedule: ignoringSchedule
        )
        guard !ready.isEmpty else { return .empty }
        let live = try dropCancelled(connection, ready)
        // Other messages may be ready behind the cancelled ones, so look again at once.
        guard !live.isEmpty else { return .busy }

        var selection = try plan(
            connection,
            ready: live,
            senders: &senders,
            spare: spare,
            now: now
        )
        if let limit = context.messagingLimit {
            try applyMessagingLimit(
                connection,
                limit: limit,
                portfolioID: context.portfolioID,
                selection: &selection,
                now: now
            )
        }
        try DispatchStore.deferMessages(connection, selection.deferrals)
        guard !selection.sends.isEmpty else {
            return .waiting(until: selection.deferrals.map(\.until).min())
        }

        let batch = try lease(
            connection,
            context: context,
            sends: selection.sends,
            senders: senders,
            now: now
        )
        try DispatchStore.savePairInstants(connection, selection.pairs)
        return .claimed(batch)
    }

    /// Cancels the messages of cancelled bulks and returns the others.
    ///
    /// A cancel ends only the messages that are QUEUED at that moment. A message that was in
    /// a batch then may return to the queue afterwards, after a transient failure, a sender's
    /// fault or Meta's pair rate limit, and this is where it ends.
    private func dropCancelled(
        _ connection: PostgresConnection,
        _ ready: [DispatchStore.ReadyMessage]
    ) throws -> [DispatchStore.ReadyMessage] {
        let bulkIDs = Set(ready.compactMap(\.bulkID))
        let cancelled = try BulkStore.cancelledBulks(connection, ids: Array(bulkIDs))
        guard !cancelled.isEmpty else { return ready }
        let isCancelled = { (message: DispatchStore.ReadyMessage) in
            message.bulkID.map(cancelled.contains) ?? false
        }
        try BulkStore.cancelRequeued(connection, ids: ready.filter(isCancelled).map(\.id))
        return ready.filter { !isCancelled($0) }
    }

    private enum Reservation {
        /// The senders locked, and the other free ACTIVE senders, which were left unlocked.
        case reserved([DispatchStore.LockedSender], spare: [UUID])
        /// Other claims hold the senders this one needs, for a few milliseconds.
        case busy
        /// Every sender is at its limit until the instant, or the WABA has no sender at all.
        case full(Date?)
    }

    /// Locks the first senders, in selection order, that no other claim holds, enough for
    /// `wanted` messages, and every sender a ready message is pinned to. A sender another claim
    /// holds is skipped, so concurrent claims on one WABA take different senders instead of
    /// queueing behind each other.
    private func reserveSenders(
        _ connection: PostgresConnection,
        wabaID: UUID,
        wanted: Int,
        now: Date
    ) throws -> Reservation {
        let candidates = try DispatchStore.senders(connection, wabaID: wabaID)
        let pinned = try DispatchStore.pinnedSenders(connection, wabaID: wabaID, now: now)
        var available: [UUID] = []
        var extra: [UUID] = []
        var covering = 0
        var capacity = 0
        for sender in candidates where slot(for: sender, now: now).capacity > 0 {
            if sender.isActive {
                available.append(sender.id)
                if capacity < wanted {
                    covering += 1
                    capacity += slot(for: sender, now: now).capacity
                }
            } else if pinned.contains(sender.id) {
                extra.append(sender.id)
            }
        }
        guard !available.isEmpty || !extra.isEmpty else {
            let next = candidates.filter(\.isActive).map { slot(for: $0, now: now).nextFreeAt }
                .min()
            return .full(next)
        }
        var locked = try DispatchStore.lockSenders(
            connection,
            ids: available,
            limit: max(1, covering)
        )
        let lockedIDs = Set(locked.map(\.id))
        let pinnedElsewhere = pinned.filter { !lockedIDs.contains($0) }
        let others = extra + available.filter { pinnedElsewhere.contains($0) }
        if !others.isEmpty {
            locked += try DispatchStore.lockSenders(connection, ids: others, limit: others.count)
        }
        let lockedAll = Set(locked.map(\.id))
        let spare = available.filter { !lockedAll.contains($0) }
        return locked.isEmpty ? .busy : .reserved(locked, spare: spare)
    }

    private func slot(for sender: DispatchStore.LockedSender, now: Date)
        -> BatchPlanner.SenderSlot
    {
        let rate = sender.messagesPerSecond
        let capacity = sender.window.capacity(at: now, rate: rate, length: configuration.rateWindow)
        return BatchPlanner.SenderSlot(
            id: sender.id,
            capacity: min(capacity, configuration.batchSize),
            nextFreeAt: sender.window.nextAvailable(
                at: now,
                count: 1,
                rate: rate,
                length: configuration.rateWindow
            ),
            acceptsNewMessages: sender.isActive
        )
    }

    /// The messages that go, with their senders, and those that wait.
    private struct Selection {
        var sends: [(message: DispatchStore.ReadyMessage, senderID: UUID)] = []
        var deferrals: [DispatchStore.Deferral] = []
        var pairs: [BatchPlanner.Pair: Date] = [:]
        /// Whether some message may use none of the reserved senders.
        var lacksSender = false
    }

    /// Plans the claim. When some messages may use none of the reserved senders, because the
    /// senders that failed them are excluded, it reserves the spare senders too and plans
    /// again.
    ///
    /// Capacity alone chose the first reservation, so a sender with room for a whole batch
    /// would otherwise be the only one reserved, claim after claim, and keep the messages it
    /// failed from ever reaching the next sender.
    private func plan(
        _ connection: PostgresConnection,
        ready: [DispatchStore.ReadyMessage],
        senders: inout [DispatchStore.LockedSender],
        spare: [UUID],
        now: Date
    ) throws -> Selection {
        let first = try select(
            connection,
            ready: ready,
            slots: senders.map { slot(for: $0, now: now) },
            now: now
        )
        guard first.lacksSender, !spare.isEmpty else { return first }
        let more = try DispatchStore.lockSenders(connection, ids: spare, limit: spare.count)
        guard !more.isEmpty else { return first }
        senders += more
        return try select(
            connection,
            ready: ready,
            slots: senders.map { slot(for: $0, now: now) },
            now: now
        )
    }

    private func select(
        _ connection: PostgresConnection,
        ready: [DispatchStore.ReadyMessage],
        slots: [BatchPlanner.SenderSlot],
        now: Date
    ) throws -> Selection {
        let stored = try DispatchStore.pairInstants(
            connection,
            senderIDs: slots.map(\.id),
            recipients: ready.map(\.recipient),
            now: now
        )
        let candidates = ready.map { message in
            BatchPlanner.Candidate(
                recipient: message.recipient,
                pinnedSenderID: message.pinnedSenderID,
                excludedSenderIDs: Set(message.excludedSenderIDs)
            )
        }
        let plan = BatchPlanner.plan(
            candidates,
            senders: slots,
            pairs: stored,
            pacing: configuration.pairPacing,
            now: now
        )
        var selection = Selection(pairs: plan.pairs)
        for (message, decision) in zip(ready, plan.decisions) {
            switch decision {
            case .send(let senderID):
                selection.sends.append((message, senderID))
            case .wait(let until, let pinnedSenderID, let reason):
                selection.lacksSender = selection.lacksSender || reason == .noReservedSender
                selection.deferrals.append(
                    DispatchStore.Deferral(
                        messageID: message.id,
                        until: until,
                        pinnedSenderID: pinnedSenderID,
                        reason: WaitReason(reason)
                    )
                )
            }
        }
        return selection
    }

    /// Admits recipients the portfolio has not reached in the last 24 hours only while its
    /// limit has room; the rest wait until the oldest counted recipient leaves the window.
    private func applyMessagingLimit(
        _ connection: PostgresConnection,
        limit: Int,
        portfolioID: UUID,
        selection: inout Selection,
        now: Date
    ) throws {
        guard !selection.sends.isEmpty else { return }
        try ReachStore.lockPortfolio(connection, id: portfolioID)
        let recipients = Array(Set(selection.sends.map(\.message.recipient)))
        let counted = try ReachStore.countedRecipients(
            connection,
            portfolioID: portfolioID,
            recipients: recipients,
            now: now
        )
        let windows = try ReachStore.openWindows(
            connection,
            senderIDs: Array(Set(selection.sends.map(\.senderID))),
            recipients: recipients,
            now: now
        )
        var fresh: [String] = []
        var seen: Set<String> = []
        for (message, senderID) in selection.sends {
            let recipient = message.recipient
            let isFree =
                counted.contains(recipient)
                || windows.contains(ReachStore.windowKey(senderID, recipient))
            if !isFree && seen.insert(recipient).inserted {
                fresh.append(recipient)
            }
        }
        guard !fresh.isEmpty else { return }

        let usage = try ReachStore.usage(connection, portfolioID: portfolioID, now: now)
        let admitted = Set(fresh.prefix(max(0, limit - usage.used)))
        let held = Set(fresh).subtracting(admitted)
        if !held.isEmpty {
            let until = usage.nextRelease ?? now.addingTimeInterval(60)
            var kept: [(message: DispatchStore.ReadyMessage, senderID: UUID)] = []
            for send in selection.sends {
                guard held.contains(send.message.recipient) else {
                    kept.append(send)
                    continue
                }
                selection.pairs[
                    BatchPlanner.Pair(senderID: send.senderID, recipient: send.message.recipient)
                ] = nil
                selection.deferrals.append(
                    DispatchStore.Deferral(
                        messageID: send.message.id,
                        until: max(until, now),
                        pinnedSenderID: send.message.pinnedSenderID,
                        reason: .portfolioLimit
                    )
                )
            }
            selection.sends = kept
        }
        try ReachStore.count(
            connection,
            portfolioID: portfolioID,
            recipients: Array(admitted),
            now: now
        )
    }

    /// Records the attempts, leases the batch to this instance and charges each sender's rate
    /// window.
    private func lease(
        _ connection: PostgresConnection,
        context: DispatchStore.ClaimContext,
        sends: [(message: DispatchStore.ReadyMessage, senderID: UUID)],
        senders: [DispatchStore.LockedSender],
        now: Date
    ) throws -> DispatchBatch {
        let numbers = Dictionary(uniqueKeysWithValues: senders.map { ($0.id, $0.number) })
        let repeated = try DispatchStore.reopenAttempts(
            connection,
            ids: sends.compactMap(\.message.pinnedAttemptID)
        )
        let counts = try DispatchStore.attemptCounts(
            connection,
            messageIDs: sends.filter { $0.message.currentAttemptID != nil }.map(\.message.id)
        )

        var items: [DispatchBatch.Item] = []
        var fresh: [(messageID: UUID, recipient: String, attempt: MessageAttempt)] = []
        for (message, senderID) in sends {
            let attempt: MessageAttempt
            if let pinned = message.pinnedAttemptID, let existing = repeated[pinned] {
                attempt = existing
            } else {
                attempt = Self.newAttempt(
                    messageID: message.id,
                    number: (counts[message.id] ?? 0) + 1,
                    senderID: senderID,
                    senderNumber: numbers[senderID] ?? "",
                    now: now
                )
                fresh.append((message.id, message.recipient, attempt))
            }
            items.append(
                DispatchBatch.Item(
                    messageID: message.id,
                    attempt: attempt,
                    senderNumber: attempt.senderNumber,
                    recipient: message.recipient,
                    templateName: message.templateName,
                    language: message.language,
                    params: message.params,
                    callbackData: message.callbackData,
                    excludedSenderIDs: message.excludedSenderIDs
                )
            )
        }
        try DispatchStore.insertAttempts(connection, fresh)

        let batchID = UUID()
        try DispatchStore.insertBatch(
            connection,
            id: batchID,
            instanceID: instanceID,
            wabaID: context.wabaID,
            lease: configuration.lease
        )
        try DispatchStore.markSending(connection, batchID: batchID, items: items)
        for sender in senders {
            let size = items.count { $0.senderID == sender.id }
            guard size > 0 else { continue }
            var window = sender.window
            window.record(size: size, at: now, length: configuration.rateWindow)
            try DispatchStore.recordSenderUse(connection, senderID: sender.id, window: window)
        }
        return DispatchBatch(
            id: batchID,
            wabaID: context.wabaID,
            baseURL: context.baseURL,
            apiKeySealed: context.apiKeySealed,
            items: items,
            claimedAt: now
        )
    }

    /// A new attempt. The first carries the message's own id as Infobip's `messageId`, so a
    /// client can correlate the two; a later one needs an id of its own.
    static func newAttempt(
        messageID: UUID,
        number: Int,
        senderID: UUID,
        senderNumber: String,
        now: Date
    ) -> MessageAttempt {
        let id = UUID()
        let infobipID = number == 1 ? messageID.uuidString.lowercased() : id.uuidString.lowercased()
        return MessageAttempt(
            id: id,
            attemptNumber: number,
            senderId: senderID,
            senderNumber: senderNumber,
            infobipMessageId: infobipID,
            outcome: MessageAttempt.pendingOutcome,
            httpStatus: nil,
            infobipStatus: nil,
            errorCode: nil,
            reason: nil,
            requests: 0,
            startedAt: now,
            finishedAt: nil
        )
    }
}
