import Foundation
import Logging
import Postgres
import Synchronization
import Testing

/// Pool behaviour against the test server: queueing, timeouts, reconnects and shutdown.
@Suite struct PoolTests {
    /// Backend process IDs of sessions with `applicationName`.
    private func backendPIDs(
        applicationName: String,
        using pool: PostgresPool
    ) async throws -> [Int32] {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT pid FROM pg_stat_activity
                WHERE application_name = \(applicationName) AND pid <> pg_backend_pid()
                """
            ).map { try $0.decode("pid", as: Int32.self) }
        }
    }

    @Test func moreCallersThanConnections() async throws {
        let callerCount = 30
        let (values, pids) = try await TestDatabase.withPool(poolSize: 3) { pool in
            try await withThrowingTaskGroup(of: (Int, Int32).self) { group in
                for index in 0..<callerCount {
                    group.addTask {
                        try await pool.withConnection { connection in
                            let rows = try connection.query(
                                """
                                SELECT \(index)::int8 AS value, pg_backend_pid() AS pid,
                                    pg_sleep(0.02)::text AS slept
                                """
                            )
                            let row = try #require(rows.first)
                            return (
                                try row.decode("value", as: Int.self),
                                try row.decode("pid", as: Int32.self)
                            )
                        }
                    }
                }
                var values: [Int] = []
                var pids: Set<Int32> = []
                for try await (value, pid) in group {
                    values.append(value)
                    pids.insert(pid)
                }
                return (values, pids)
            }
        }
        #expect(values.sorted() == Array(0..<callerCount))
        #expect(pids.count <= 3)
        #expect(pids.count >= 1)
    }

    @Test func statementTimeoutSurfacesTimedOut() async throws {
        try await TestDatabase.withPool(poolSize: 1, statementTimeout: .milliseconds(200)) { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try connection.query("SELECT pg_sleep(5)")
                }
            }
            #expect(error?.code == .timedOut)
            #expect(error?.sqlState == "57014")

            let value = try await pool.withConnection { connection in
                try #require(try connection.query("SELECT 1 AS one").first).decode(
                    "one",
                    as: Int.self
                )
            }
            #expect(value == 1)
        }
    }

    @Test func killedBackendReconnects() async throws {
        let applicationName = TestDatabase.uniqueName("pgtest_kill")
        let logs = InMemoryLogHandler()
        try await TestDatabase.withPool(
            poolSize: 1,
            applicationName: applicationName,
            logHandler: logs
        ) { pool in
            let firstPID = try await pool.withConnection { connection in
                try #require(try connection.query("SELECT pg_backend_pid() AS pid").first)
                    .decode("pid", as: Int32.self)
            }
            try await TestDatabase.withPool(poolSize: 1) { admin in
                let terminated = try await admin.withConnection { connection in
                    try #require(
                        try connection.query("SELECT pg_terminate_backend(\(firstPID)) AS done")
                            .first
                    ).decode("done", as: Bool.self)
                }
                #expect(terminated)
                let isGone = try await TestDatabase.waitUntil {
                    try await backendPIDs(applicationName: applicationName, using: admin).isEmpty
                }
                #expect(isGone)
            }

            let secondPID = try await pool.withConnection { connection in
                try #require(try connection.query("SELECT pg_backend_pid() AS pid").first)
                    .decode("pid", as: Int32.self)
            }
            #expect(secondPID != firstPID)
            #expect(logs.messages.contains("connection lost, reconnecting"))
            #expect(logs.messages.filter { $0 == "connection opened" }.count == 2)
        }
    }

    @Test func selfTerminatedBackendReconnects() async throws {
        try await TestDatabase.withPool(poolSize: 1) { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                }
            }
            #expect(error?.code == .connectionFailed)

            let value = try await pool.withConnection { connection in
                try #require(try connection.query("SELECT 2 AS two").first).decode(
                    "two",
                    as: Int.self
                )
            }
            #expect(value == 2)
        }
    }

    @Test func idleTransactionTimeoutReconnects() async throws {
        let logs = InMemoryLogHandler()
        try await TestDatabase.withPool(
            poolSize: 1,
            idleInTransactionTimeout: .milliseconds(100),
            logHandler: logs
        ) { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("SELECT 1")
                    // Blocks only this connection's own thread, long enough for the server to
                    // end the idle transaction.
                    Thread.sleep(forTimeInterval: 0.5)
                    try connection.execute("SELECT 2")
                }
            }
            #expect(error?.code == .connectionFailed)

            let value = try await pool.withConnection { connection in
                try #require(try connection.query("SELECT 3 AS three").first)
                    .decode("three", as: Int.self)
            }
            #expect(value == 3)
            #expect(logs.messages.contains("connection lost, reconnecting"))
        }
    }

    @Test func blockingQueryLeavesTasksRunning() async throws {
        let events = EventLog()
        try await TestDatabase.withPool(poolSize: 2) { pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Two sleeping queries, one per cooperative thread on a two-core machine, would
                // starve the ticker below if libpq ran on the cooperative pool.
                for _ in 0..<2 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            try connection.query("SELECT pg_sleep(2)")
                        }
                        events.append("sleep finished")
                    }
                }
                // The margin is wide (0.1 s of ticks against 2 s of sleep) because the rest of
                // the suite keeps both cores busy at the same time.
                group.addTask {
                    for _ in 0..<10 {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    events.append("ticker finished")
                }
                try await group.waitForAll()
            }
        }
        #expect(events.all == ["ticker finished", "sleep finished", "sleep finished"])
    }

    @Test func shutdownFailsLaterCalls() async throws {
        let configuration = PostgresConfiguration(
            connectionString: try TestDatabase.url(),
            poolSize: 1,
            applicationName: TestDatabase.uniqueName("pgtest_shutdown")
        )
        let pool = PostgresPool(
            configuration: configuration,
            logger: Logger(label: "postgres.test", handler: InMemoryLogHandler())
        )
        let holder = Task {
            try await pool.withConnection { connection in
                _ = try connection.query("SELECT pg_sleep(0.3)")
                return "finished"
            }
        }
        let waiter = Task {
            try await Task.sleep(for: .milliseconds(50))
            return try await pool.withConnection { _ in "ran" }
        }
        try await Task.sleep(for: .milliseconds(100))
        await pool.shutdown()

        #expect(try await holder.value == "finished")
        let waiterError = await #expect(throws: PostgresError.self) {
            try await waiter.value
        }
        #expect(waiterError?.code == .poolClosed)
        let laterError = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { _ in 1 }
        }
        #expect(laterError?.code == .poolClosed)
    }

    @Test func cancelledWaiterThrows() async throws {
        try await TestDatabase.withPool(poolSize: 1) { pool in
            let holder = Task {
                try await pool.withConnection { connection in
                    _ = try connection.query("SELECT pg_sleep(0.3)")
                    return "finished"
                }
            }
            let waiter = Task {
                try await Task.sleep(for: .milliseconds(20))
                return try await pool.withConnection { _ in "ran" }
            }
            try await Task.sleep(for: .milliseconds(80))
            waiter.cancel()
            await #expect(throws: CancellationError.self) {
                try await waiter.value
            }
            #expect(try await holder.value == "finished")
            #expect(try await pool.withConnection { _ in "after" } == "after")
        }
    }

    @Test func connectLogsHideSecrets() async throws {
        let password = "s3cret-\(UUID().uuidString)"
        let applicationName = TestDatabase.uniqueName("pgtest_logs")
        let logs = InMemoryLogHandler()
        try await TestDatabase.withPool(
            poolSize: 1,
            applicationName: applicationName,
            connectionString: try TestDatabase.url(withPassword: password),
            logHandler: logs
        ) { pool in
            let secret = "bound-\(UUID().uuidString)"
            try await pool.withConnection { connection in
                try connection.query("SELECT \(secret)::text AS value")
            }
        }
        let opened = try #require(logs.records.first { $0.message == "connection opened" })
        #expect(opened.metadata["application_name"] == applicationName)
        #expect(logs.mentions(password) == false)
        #expect(logs.mentions("bound-") == false)
    }

    @Test func unreachableServerFailsCleanly() async throws {
        let password = "s3cret-\(UUID().uuidString)"
        let logs = InMemoryLogHandler()
        // Port 1 on loopback has no server, so the connection is refused at once.
        let connectionString = "postgresql://someone:\(password)@127.0.0.1:1/db?connect_timeout=2"
        try await TestDatabase.withPool(
            poolSize: 1,
            connectionString: connectionString,
            logHandler: logs
        ) { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { _ in 1 }
            }
            #expect(error?.code == .connectionFailed)
            #expect(error?.operation == "connect")
            #expect(error?.description.contains(password) == false)
        }
        #expect(logs.messages.contains("connection failed"))
        #expect(logs.mentions(password) == false)
    }

    @Test func malformedConnectionStringHidden() async throws {
        let logs = InMemoryLogHandler()
        let connectionString = "host=127.0.0.1 password=hunter2-secret bogus"
        try await TestDatabase.withPool(
            poolSize: 1,
            connectionString: connectionString,
            logHandler: logs
        ) { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { _ in 1 }
            }
            #expect(error?.code == .connectionFailed)
            #expect(error?.description.contains("hunter2") == false)
        }
        #expect(logs.mentions("hunter2") == false)
    }

    @Test func sessionSettingsApplied() async throws {
        let applicationName = TestDatabase.uniqueName("pgtest_settings")
        let settings = try await TestDatabase.withPool(
            poolSize: 1,
            statementTimeout: .milliseconds(1500),
            applicationName: applicationName
        ) { pool in
            try await pool.withConnection { connection in
                let row = try #require(
                    try connection.query(
                        """
                        SELECT current_setting('TimeZone') AS time_zone,
                            current_setting('DateStyle') AS date_style,
                            current_setting('statement_timeout') AS statement_timeout,
                            current_setting('idle_in_transaction_session_timeout') AS idle_timeout,
                            current_setting('application_name') AS application_name
                        """
                    ).first
                )
                return try [
                    "time_zone", "date_style", "statement_timeout", "idle_timeout",
                    "application_name",
                ].map { try row.decode($0, as: String.self) }
            }
        }
        #expect(settings[0] == "UTC")
        #expect(settings[1].hasPrefix("ISO"))
        #expect(settings[2] == "1500ms")
        #expect(settings[3] == "1min")
        #expect(settings[4] == applicationName)
    }
}
