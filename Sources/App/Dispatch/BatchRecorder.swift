import Domain
import Foundation
import Logging
import Postgres

/// Stores what Infobip's answer means for each message of a batch, in one transaction: the
/// attempt's outcome, the message's new status or its return to the queue, the history and
/// the senders' scores.
///
/// Each failure's ``FailureCause`` decides the next step. A sender fault returns the message
/// to the queue for the next best sender. A recipient, content or account fault fails it. A
/// transient fault returns it to the queue pinned to the same attempt, so the repeat carries
/// the same Infobip message id. Meta's pair rate limit returns it to the queue on the same
/// sender after 4^n seconds. An unknown outcome leaves it SENDING until Infobip's report, or
/// the unknown-outcome policy, decides.
struct BatchRecorder: Sendable {
    let configuration: DispatchConfiguration

    /// Counts of what one batch did, for the logs.
    struct Summary: Sendable, Equatable {
        var sent = 0
        var failed = 0
        var requeued = 0
        var awaitingReport = 0
    }

    func record(
        _ connection: PostgresConnection,
        batch: DispatchBatch,
        outcome: BatchSender.Outcome
    ) throws -> Summary {
        let (states, now) = try DispatchStore.lockStates(
            connection,
            ids: batch.items.map(\.messageID)
        )
        try restampRateWindows(connection, batch: batch, now: now)
        var writes = Writes()
        for (item, result) in zip(batch.items, outcome.results) {
            let finished = result.applied(to: item.attempt)
            writes.attempts.append((finished, result.requests))
            // A message another writer moved on is left alone: a fallback made a newer attempt
            // current, or a report of Meta's pair rate limit, applied while the request was in
            // flight, put it back in the queue on the same sender.
            guard let state = states[item.messageID], state.currentAttemptID == item.attempt.id,
                state.status != .queued
            else { continue }
            try apply(
                result,
                finished: finished,
                item: item,
                state: state,
                connection: connection,
                now: now,
                writes: &writes
            )
        }

        try DispatchStore.finishAttempts(connection, writes.attempts)
        try DispatchStore.applyChanges(connection, writes.changes)
        try DispatchStore.insertEvents(connection, writes.events)
        for (senderID, delta) in writes.scoreDeltas.sorted(by: {
            $0.key.uuidString < $1.key.uuidString
        }) {
            try SenderStore.addToScore(connection, senderID: senderID, delta: delta)
        }
        try DispatchStore.savePairInstants(connection, writes.pairs)
        if let pause = writes.pauseUntil {
            try DispatchStore.pauseWaba(
                connection,
                id: batch.wabaID,
                until: pause,
                reason: .infobipRateLimit
            )
        }
        try DispatchStore.deleteBatch(connection, id: batch.id)
        return writes.summary
    }

    /// Rows written at the end of ``record(_:batch:outcome:)``.
    private struct Writes {
        var attempts: [(attempt: MessageAttempt, addedRequests: Int)] = []
        var changes: [DispatchStore.MessageChange] = []
        var events: [DispatchStore.EventRow] = []
        var scoreDeltas: [UUID: Int] = [:]
        var pairs: [BatchPlanner.Pair: Date] = [:]
        var pauseUntil: Date?
        var summary = Summary()
    }

    private func apply(
        _ result: AttemptResult,
        finished: MessageAttempt,
        item: DispatchBatch.Item,
        state: DispatchStore.MessageState,
        connection: PostgresConnection,
        now: Date,
        writes: inout Writes
    ) throws {
        guard let cause = result.cause, cause != .duplicate else {
            accept(finished, item: item, state: state, now: now, writes: &writes)
            return
        }
        switch cause.nextStep {
        case .tryNextSender:
            if cause == .sender {
                writes.scoreDeltas[item.senderID, default: 0] += ScoreChange.failed(cause).delta
            }
            try fallBack(finished, item: item, state: state, connection, now: now, &writes)
        case .failMessage:
            fail(item, attempt: finished, reason: finished.reason ?? cause.rawValue, now, &writes)
        case .retrySameSender:
            retry(result, finished: finished, item: item, now: now, writes: &writes)
        case .backOffSameSender:
            try backOff(finished, item: item, connection, now: now, &writes)
        case .awaitReport:
            writes.changes.append(
                DispatchStore.MessageChange(
                    messageID: item.messageID,
                    status: state.status,
                    awaitingReportUntil: now.addingTimeInterval(configuration.reportWait.seconds)
                )
            )
            writes.events.append(
                event(item, status: .sending, applied: false, detail: finished, now: now)
            )
            writes.summary.awaitingReport += 1
        }
    }

    private func accept(
        _ attempt: MessageAttempt,
        item: DispatchBatch.Item,
        state: DispatchStore.MessageState,
        now: Date,
        writes: inout Writes
    ) {
        // A report may have arrived before this answer and moved the message further already.
        let applies = state.status.canMove(to: .sent)
        writes.changes.append(
            DispatchStore.MessageChange(
                messageID: item.messageID,
                status: applies ? .sent : state.status,
                senderID: item.senderID,
                markSent: true
            )
        )
        writes.events.append(
            event(item, status: .sent, applied: applies, detail: attempt, now: now)
        )
        // The claim spaced the pair from its own timestamp, but the message reached Infobip
        // later. Counting one interval from now, after Infobip's response, keeps the next
        // message to this recipient an interval after the arrival; a saved instant that lies
        // later already stays.
        let pair = BatchPlanner.Pair(senderID: item.senderID, recipient: item.recipient)
        let rested = now.addingTimeInterval(configuration.pairPacing.interval.seconds)
        writes.pairs[pair] = max(writes.pairs[pair] ?? rested, rested)
        writes.summary.sent += 1
    }

    private func fallBack(
        _ attempt: MessageAttempt,
        item: DispatchBatch.Item,
        state: DispatchStore.MessageState,
        _ connection: PostgresConnection,
        now: Date,
        _ writes: inout Writes
    ) throws {
        let excluded = state.excludedSenderIDs + [item.senderID]
        let others = try SenderStore.hasActive(
            connection,
            wabaID: state.wabaID,
            excluding: excluded
        )
        guard others else {
            var reasons = try DispatchStore.attemptReasons(connection, messageID: item.messageID)
            reasons.append("\(item.senderNumber): \(attempt.reason ?? attempt.outcome)")
            let reason = "Every sender failed. " + reasons.joined(separator: "; ")
            fail(item, attempt: attempt, reason: reason, now, &writes)
            return
        }
        writes.changes.append(
            DispatchStore.MessageChange(
                messageID: item.messageID,
                status: .queued,
                nextAttemptAt: now,
                excludeSenderID: item.senderID,
                waitReason: .fallback
            )
        )
        writes.summary.requeued += 1
    }

    private func fail(
        _ item: DispatchBatch.Item,
        attempt: MessageAttempt,
        reason: String,
        _ now: Date,
        _ writes: inout Writes
    ) {
        writes.changes.append(
            DispatchStore.MessageChange(
                messageID: item.messageID,
                status: .failed,
                failureReason: reason
            )
        )
        writes.events.append(
            DispatchStore.EventRow(
                messageID: item.messageID,
                attemptID: attempt.id,
                status: MessageStatus.failed.rawValue,
                applied: true,
                source: "send",
                detail: .object(["reason": .string(reason)]),
                occurredAt: now
            )
        )
        writes.summary.failed += 1
    }

    /// Returns the message to the queue pinned to its attempt: the repeat goes through the
    /// same sender with the same Infobip message id. A long `Retry-After` also pauses the WABA.
    private func retry(
        _ result: AttemptResult,
        finished: MessageAttempt,
        item: DispatchBatch.Item,
        now: Date,
        writes: inout Writes
    ) {
        let requests = item.attempt.requests + result.requests
        guard requests < configuration.maximumRequestsPerAttempt else {
            let reason =
                "Infobip failed \(requests) requests for this message. "
                + (finished.reason ?? "")
            fail(item, attempt: finished, reason: reason, now, &writes)
            return
        }
        let until: Date
        let reason: WaitReason
        if let retryAfter = result.retryAfter {
            let wait = retryAfter.seconds * Double.random(in: 1.0...1.2)
            until = now.addingTimeInterval(wait)
            reason = .infobipRateLimit
            writes.pauseUntil = max(writes.pauseUntil ?? until, until)
        } else {
            until = now.addingTimeInterval(
                configuration.requeueDelay(afterRequests: requests).seconds
            )
            reason = .infobipUnavailable
        }
        writes.changes.append(
            DispatchStore.MessageChange(
                messageID: item.messageID,
                status: .queued,
                nextAttemptAt: until,
                pinnedSenderID: item.senderID,
                pinnedAttemptID: item.attempt.id,
                waitReason: reason
            )
        )
        writes.summary.requeued += 1
    }

    /// Returns the message to the queue on the same sender after Meta's pair rate limit, 4^n
    /// seconds after its n-th such rejection, and makes the pair rest as long.
    private func backOff(
        _ attempt: MessageAttempt,
        item: DispatchBatch.Item,
        _ connection: PostgresConnection,
        now: Date,
        _ writes: inout Writes
    ) throws {
        let earlier = try DispatchStore.pairRateRejections(connection, messageID: item.messageID)
        guard earlier + 1 < configuration.maximumPairRateRejections else {
            let reason =
                "Meta's pair rate limit rejected this message \(earlier + 1) times. "
                + (attempt.reason ?? "")
            fail(item, attempt: attempt, reason: reason, now, &writes)
            return
        }
        let until = now.addingTimeInterval(PairPacing.backoff(afterRejections: earlier).seconds)
        let pacing = configuration.pairPacing
        let tolerance = pacing.interval.seconds * Double(pacing.burst - 1)
        writes.pairs[BatchPlanner.Pair(senderID: item.senderID, recipient: item.recipient)] =
            until.addingTimeInterval(tolerance)
        writes.changes.append(
            DispatchStore.MessageChange(
                messageID: item.messageID,
                status: .queued,
                nextAttemptAt: until,
                pinnedSenderID: item.senderID,
                waitReason: .pairRateLimit
            )
        )
        writes.summary.requeued += 1
    }

    private func event(
        _ item: DispatchBatch.Item,
        status: MessageStatus,
        applied: Bool,
        detail attempt: MessageAttempt,
        now: Date
    ) -> DispatchStore.EventRow {
        var detail: [String: JSONValue] = ["outcome": .string(attempt.outcome)]
        if let infobipStatus = attempt.infobipStatus {
            detail["infobipStatus"] = .string(infobipStatus)
        }
        if let reason = attempt.reason, status != .sent {
            detail["reason"] = .string(reason)
        }
        return DispatchStore.EventRow(
            messageID: item.messageID,
            attemptID: item.attempt.id,
            status: status.rawValue,
            applied: applied,
            source: "send",
            detail: .object(detail),
            occurredAt: now
        )
    }
}
