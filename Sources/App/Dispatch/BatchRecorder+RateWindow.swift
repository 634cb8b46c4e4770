import Domain
import Foundation
import Postgres

extension BatchRecorder {
    /// Moves the batch's entry in each sender's rate window from the claim's timestamp to
    /// `now`, the start of the transaction that stores the results.
    ///
    /// A claim counts the batch at its own timestamp, but the request reaches Infobip some
    /// time after it: the claim has to commit first, and the HTTP call may wait for a thread.
    /// When one batch is late by more than the window's margin over one second and the next
    /// one is on time, Infobip receives both within one second. Once Infobip has answered, the
    /// request has certainly arrived, so counting the batch from then on keeps every later
    /// claim a full window after the arrival.
    ///
    /// NOTE: a claim made while the batch is still in flight sees the claim's timestamp only,
    /// so the limit holds at Infobip only while a request takes less than the window to
    /// answer.
    func restampRateWindows(
        _ connection: PostgresConnection,
        batch: DispatchBatch,
        now: Date
    ) throws {
        var sizes: [UUID: Int] = [:]
        for item in batch.items {
            sizes[item.senderID, default: 0] += 1
        }
        let windows = try DispatchStore.lockRateWindows(
            connection,
            senderIDs: Array(sizes.keys)
        )
        for (senderID, window) in windows {
            guard let size = sizes[senderID] else { continue }
            let moved = Self.moving(window, size: size, from: batch.claimedAt, to: now)
            try DispatchStore.saveRateWindow(connection, senderID: senderID, window: moved)
        }
    }

    /// Returns `window` with the entry of `size` claimed at `claimedAt` moved to `now`. An
    /// entry that a later claim already dropped as old is added again at `now`.
    static func moving(
        _ window: SenderRateWindow,
        size: Int,
        from claimedAt: Date,
        to now: Date
    ) -> SenderRateWindow {
        var entries = window.entries
        func distance(_ index: Int) -> TimeInterval {
            abs(entries[index].at.timeIntervalSince(claimedAt))
        }
        let candidates = entries.indices.filter { entries[$0].size == size }
        // Timestamps round-trip through PostgreSQL with microsecond precision.
        if let match = candidates.min(by: { distance($0) < distance($1) }), distance(match) < 0.001
        {
            entries[match].at = max(entries[match].at, now)
        } else {
            entries.append(SenderRateWindow.Entry(at: now, size: size))
        }
        return SenderRateWindow(entries: entries)
    }
}
