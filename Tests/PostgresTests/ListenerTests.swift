import Foundation
import Logging
import Postgres
import Synchronization
import Testing

/// LISTEN/NOTIFY delivery through `PostgresListener`, including reconnects.
@Suite struct ListenerTests {
    /// Consumes a listener's stream on a task of its own and keeps what arrived.
    private final class Collector: Sendable {
        private let received = Mutex<[PostgresNotification]>([])
        private let finished = Mutex(false)

        static func start(_ stream: AsyncStream<PostgresNotification>) -> Collector {
            let collector = Collector()
            Task {
                for await notification in stream {
                    collector.received.withLock { $0.append(notification) }
                }
                collector.finished.withLock { $0 = true }
            }
            return collector
        }

        var notifications: [PostgresNotification] {
            received.withLock { $0 }
        }

        var isFinished: Bool {
            finished.withLock { $0 }
        }

        func waitForCount(_ count: Int) async throws -> [PostgresNotification] {
            _ = try await TestDatabase.waitUntil { self.notifications.count >= count }
            return notifications
        }
    }

    /// Backend process IDs of listening sessions with `applicationName`.
    private func listenerPIDs(
        applicationName: String,
        using pool: PostgresPool
    ) async throws -> [Int32] {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT pid FROM pg_stat_activity
                WHERE application_name = \(applicationName) AND state = 'idle'
                    AND query LIKE 'LISTEN %'
                """
            ).map { try $0.decode("pid", as: Int32.self) }
        }
    }

    private func waitForListener(
        applicationName: String,
        excluding oldPID: Int32? = nil,
        using pool: PostgresPool
    ) async throws -> Int32? {
        var found: Int32?
        _ = try await TestDatabase.waitUntil {
            let pids = try await listenerPIDs(applicationName: applicationName, using: pool)
            found = pids.first { $0 != oldPID }
            return found != nil
        }
        return found
    }

    private func notify(_ channel: String, _ payload: String, using pool: PostgresPool) async throws
    {
        try await pool.withConnection { connection in
            try connection.query("SELECT pg_notify(\(channel), \(payload))")
        }
    }

    @Test func notificationsDeliverPayloads() async throws {
        let applicationName = TestDatabase.uniqueName("pgtest_listen")
        let ordersChannel = "Orders.\(UUID().uuidString)"
        let statusChannel = TestDatabase.uniqueName("status")
        let listener = PostgresListener(
            connectionString: try TestDatabase.url(withApplicationName: applicationName),
            channels: [ordersChannel, statusChannel],
            logger: Logger(label: "postgres.test", handler: InMemoryLogHandler())
        )
        defer { listener.stop() }
        let collector = Collector.start(listener.notifications())

        let payloads = ["plain", "unicode Zoë 🎉", #"quotes ' " and \ backslash"#, ""]
        try await TestDatabase.withPool(poolSize: 1) { pool in
            let pid = try await waitForListener(applicationName: applicationName, using: pool)
            #expect(pid != nil)
            for payload in payloads {
                try await notify(ordersChannel, payload, using: pool)
            }
            try await notify(statusChannel, "status-1", using: pool)
            // Channel names are case-sensitive, so this one is not delivered.
            try await notify(ordersChannel.lowercased(), "wrong case", using: pool)
        }

        let received = try await collector.waitForCount(payloads.count + 1)
        #expect(received.map(\.payload) == payloads + ["status-1"])
        #expect(received.prefix(payloads.count).allSatisfy { $0.channel == ordersChannel })
        #expect(received.last?.channel == statusChannel)
    }

    @Test func listenerReconnectsAfterTermination() async throws {
        let applicationName = TestDatabase.uniqueName("pgtest_relisten")
        let channel = TestDatabase.uniqueName("events")
        let logs = InMemoryLogHandler()
        let listener = PostgresListener(
            connectionString: try TestDatabase.url(withApplicationName: applicationName),
            channels: [channel],
            logger: Logger(label: "postgres.test", handler: logs)
        )
        defer { listener.stop() }
        let collector = Collector.start(listener.notifications())

        try await TestDatabase.withPool(poolSize: 1) { pool in
            let firstPID = try #require(
                try await waitForListener(applicationName: applicationName, using: pool)
            )
            try await notify(channel, "before", using: pool)
            #expect(try await collector.waitForCount(1).map(\.payload) == ["before"])

            try await pool.withConnection { connection in
                try connection.query("SELECT pg_terminate_backend(\(firstPID))")
            }
            let secondPID = try await waitForListener(
                applicationName: applicationName,
                excluding: firstPID,
                using: pool
            )
            #expect(secondPID != nil)
            try await notify(channel, "after", using: pool)
        }

        #expect(try await collector.waitForCount(2).map(\.payload) == ["before", "after"])
        #expect(logs.messages.contains("listener connection lost, reconnecting"))
        #expect(logs.messages.contains("listener reconnected"))
    }

    @Test func stopFinishesStream() async throws {
        let listener = PostgresListener(
            connectionString: try TestDatabase.url(),
            channels: [TestDatabase.uniqueName("stop")],
            logger: Logger(label: "postgres.test", handler: InMemoryLogHandler())
        )
        let collector = Collector.start(listener.notifications())
        listener.stop()
        let isFinished = try await TestDatabase.waitUntil { collector.isFinished }
        #expect(isFinished)
    }

    @Test func failedConnectsRetryWithBackoff() async throws {
        let password = "s3cret-\(UUID().uuidString)"
        let logs = InMemoryLogHandler()
        // Port 1 on loopback has no server, so every attempt is refused at once.
        let listener = PostgresListener(
            connectionString: "postgresql://someone:\(password)@127.0.0.1:1/db",
            channels: ["never"],
            logger: Logger(label: "postgres.test", handler: logs)
        )
        let collector = Collector.start(listener.notifications())
        let retried = try await TestDatabase.waitUntil {
            logs.records.contains { $0.metadata["attempt"] == "3" }
        }
        listener.stop()
        #expect(retried)
        let delays = logs.records.compactMap { $0.metadata["retry_in_ms"] }.prefix(3)
        #expect(Array(delays) == ["100", "200", "400"])
        #expect(logs.mentions(password) == false)
        #expect(try await TestDatabase.waitUntil { collector.isFinished })
    }
}
