import Foundation
import Logging
import Postgres
import Synchronization

/// The dispatch loops of one instance: they claim batches of ready messages from the shared
/// queue, send them and store the results, together with the maintenance that renews this
/// instance's leases and recovers those of stopped instances.
///
/// Notifications on `wabarouter_queue` and `wabarouter_waba_changes` wake idle loops; they are
/// hints only, since notifications sent while the listener reconnects are lost, so the loops
/// also look for work every ``DispatchConfiguration/pollInterval``.
final class QueueDispatcher: Sendable {
    private let pool: PostgresPool
    private let claimer: BatchClaimer
    private let sender: BatchSender
    private let recorder: BatchRecorder
    private let configuration: DispatchConfiguration
    private let connectionString: String
    private let logger: Logger
    private let scheduler = WabaScheduler()
    private let wake = WakeSignal()
    /// Wakes the discovery loop early, on stop only: notifications name their WABA, and a
    /// claimed batch must not rerun discovery, which costs an index probe per WABA.
    private let discoveryWake = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    private let running = Mutex<Running?>(nil)

    private struct Running: Sendable {
        var listener: PostgresListener
        var loops: [Task<Void, Never>]
    }

    init(
        pool: PostgresPool,
        claimer: BatchClaimer,
        sender: BatchSender,
        recorder: BatchRecorder,
        configuration: DispatchConfiguration,
        connectionString: String,
        logger: Logger
    ) {
        self.pool = pool
        self.claimer = claimer
        self.sender = sender
        self.recorder = recorder
        self.configuration = configuration
        self.connectionString = connectionString
        self.logger = logger
    }

    /// Starts the listener, the discovery and maintenance loops and the dispatch loops.
    func start() {
        let listener = PostgresListener(
            connectionString: connectionString,
            channels: ["wabarouter_queue", "wabarouter_waba_changes"],
            logger: logger
        )
        var loops: [Task<Void, Never>] = []
        loops.append(Task { await self.listen(listener) })
        loops.append(Task { await self.discover() })
        let maintenance = QueueMaintenance(
            pool: pool,
            configuration: configuration,
            instanceID: claimer.instanceID,
            logger: logger
        )
        loops.append(Task { await maintenance.run(until: self.stopping) })
        for index in 0..<configuration.workers {
            loops.append(Task { await self.dispatch(worker: index) })
        }
        running.withLock { $0 = Running(listener: listener, loops: loops) }
        logger.info("dispatchers started", ["workers": String(configuration.workers)])
    }

    /// Stops claiming, lets batches in flight finish and store their results, then returns.
    func stop() async {
        stopping.store(true, ordering: .sequentiallyConsistent)
        guard let current = running.withLock({ $0.take() }) else { return }
        current.listener.stop()
        wake.signal()
        discoveryWake.signal()
        for loop in current.loops {
            await loop.value
        }
        logger.info("dispatchers stopped")
    }

    private var isStopping: Bool {
        stopping.load(ordering: .sequentiallyConsistent)
    }

    private func listen(_ listener: PostgresListener) async {
        for await notification in listener.notifications() {
            if let id = UUID(uuidString: notification.payload) {
                scheduler.markReady(id)
            }
            wake.signal()
        }
    }

    /// Refreshes the list of WABAs with queued messages, which also finds work whose
    /// notification was lost.
    private func discover() async {
        while !isStopping {
            do {
                let found = try await pool.withConnection { connection in
                    try QueueStore.wabasWithWork(connection)
                }
                scheduler.replace(with: found)
                if found.contains(where: { $0.dueAt <= Date() }) {
                    wake.signal()
                }
            } catch {
                logger.error("looking for queued work failed", ["error": String(describing: error)])
            }
            await discoveryWake.wait(timeout: configuration.pollInterval)
        }
    }

    private func dispatch(worker: Int) async {
        let logger = self.logger.with("worker", String(worker))
        while !isStopping {
            guard let wabaID = scheduler.next(now: Date()) else {
                let wait = scheduler.earliest().map { max(0, $0.timeIntervalSinceNow) }
                let timeout = min(
                    wait ?? configuration.pollInterval.seconds,
                    configuration.pollInterval.seconds
                )
                await wake.wait(timeout: .milliseconds(Int(timeout * 1000) + 1))
                continue
            }
            await work(wabaID: wabaID, logger: logger.with("wabaId", wabaID.postgresText))
        }
    }

    /// Claims and sends one batch of the WABA, and tells the scheduler when to come back.
    private func work(wabaID: UUID, logger: Logger) async {
        let outcome: ClaimOutcome
        do {
            outcome = try await pool.withTransaction { connection in
                try self.claimer.claim(connection, wabaID: wabaID)
            }
        } catch {
            logger.error("claiming a batch failed", ["error": String(describing: error)])
            scheduler.postpone(wabaID, until: Date().addingTimeInterval(1))
            return
        }
        switch outcome {
        case .claimed(let batch):
            scheduler.markReady(wabaID)
            wake.signal()
            await deliver(batch, logger: logger.with("batchId", batch.id.postgresText))
        case .empty:
            scheduler.postpone(
                wabaID,
                until: Date().addingTimeInterval(configuration.pollInterval.seconds)
            )
        case .waiting(let until):
            let fallback = Date().addingTimeInterval(configuration.pollInterval.seconds)
            scheduler.postpone(wabaID, until: until ?? fallback)
        case .busy:
            scheduler.postpone(wabaID, until: Date().addingTimeInterval(0.005))
        }
    }

    private func deliver(_ batch: DispatchBatch, logger: Logger) async {
        logger.debug("batch claimed", ["messages": String(batch.items.count)])
        let outcome = await sender.send(batch, logger: logger)
        do {
            let summary = try await pool.withTransaction { connection in
                try self.recorder.record(connection, batch: batch, outcome: outcome)
            }
            logger.info(
                "batch sent",
                [
                    "messages": String(batch.items.count), "requests": String(outcome.requests),
                    "sent": String(summary.sent), "failed": String(summary.failed),
                    "requeued": String(summary.requeued),
                    "awaitingReport": String(summary.awaitingReport),
                ]
            )
        } catch {
            // The batch keeps its lease until it lapses; recovery then waits for Infobip's
            // reports, so nothing is sent twice.
            logger.error(
                "storing a batch's results failed",
                ["error": String(describing: error), "messages": String(batch.items.count)]
            )
        }
    }
}
