import App
import Foundation
import Logging
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Instances that die, share a queue, or never hear back from Infobip: `wabarouter serve`
/// processes and the simulator on loopback, one database per test.
@Suite struct CrashRecoveryTests {
    /// Queue settings for two instances: a lease that lapses 3 s after its holder dies, and a
    /// 5 s wait for Infobip's report before the same message id is sent again.
    private static let sharedQueueEnvironment = [
        "DISPATCH_LEASE_SECONDS": "3",
        "UNKNOWN_OUTCOME_WAIT_SECONDS": "5",
        "UNKNOWN_OUTCOME_POLICY": "resend",
        "DISPATCH_WORKERS": "2",
        "DISPATCH_POLL_MILLISECONDS": "200",
        "DATABASE_POOL_SIZE": "4",
    ]

    /// What holds up the request of A's batch when A is killed.
    enum Stall: String, CaseIterable, Sendable {
        /// Infobip responds with 500 after 4 s, so it never accepts the batch and only a resend
        /// sends it.
        case neverAccepted
        /// Infobip delays its response by 4 s, then accepts the messages without sending
        /// reports, so the resend repeats message ids that Infobip already has.
        case acceptedLate

        /// The simulator's behaviour document for the next requests of a sender. It holds up
        /// every request until the test resets the sender: one Infobip request may carry
        /// several senders' messages, so a stall of one request per sender could all be taken
        /// by B's requests.
        var senderBehavior: [String: Any] {
            switch self {
            case .neverAccepted:
                ["behavior": "serverError", "delaySeconds": 4, "times": 1_000]
            case .acceptedLate:
                ["behavior": "hang", "hangSeconds": 4, "times": 1_000, "reports": []]
            }
        }

        /// The behaviour set once A is killed. The simulator plans reports when it responds to
        /// a held-up request, so `acceptedLate` keeps them off. Otherwise A's accepted messages
        /// would get reports and never need the resend the test checks.
        var resetBehavior: [String: Any] {
            switch self {
            case .neverAccepted: ["behavior": "accept"]
            case .acceptedLate: ["behavior": "accept", "reports": []]
            }
        }
    }

    /// A is killed with SIGKILL while the bulk is part sent, holding a batch whose request
    /// `stall` holds up. Both instances give Infobip B's URL for reports, as a load balancer in
    /// front of them would. B recovers A's batches once their lease lapses. Their messages
    /// complete through reports, or are sent again with the same Infobip message id once the
    /// report wait has passed.
    ///
    /// Once a tenth of the bulk is sent, the simulator holds up every request of the 4 senders,
    /// so both instances soon wait on requests, and A is killed while it waits for one. The
    /// senders are then reset, and requests sent after that are accepted.
    ///
    /// The two cases run one at a time, because each keeps two servers and the simulator busy
    /// and the machines running the suite may have two cores.
    @Test(.serialized, arguments: Stall.allCases)
    func sigkillMidBulkLosesNothing(stall: Stall) async throws {
        let databaseURL = try await TestDatabase.createDatabase()
        let simulator = try SimulatorProcess(arguments: ["--report-delay-ms", "100"])
        defer { simulator.stop() }
        let b = try await WabaRouterProcess.start(
            databaseURL: databaseURL,
            environment: Self.sharedQueueEnvironment
        )
        let a = try await WabaRouterProcess.start(
            databaseURL: databaseURL,
            publicURL: b.baseURL,
            environment: Self.sharedQueueEnvironment
        )
        let database = QueueDatabase(url: databaseURL)
        do {
            try await runKillScenario(
                stall,
                a: a,
                b: b,
                simulator: simulator,
                database: database
            )
        } catch {
            await stopAll([a, b], database)
            throw error
        }
        await stopAll([a, b], database)
    }

    private func runKillScenario(
        _ stall: Stall,
        a: WabaRouterProcess,
        b: WabaRouterProcess,
        simulator: SimulatorProcess,
        database: QueueDatabase
    ) async throws {
        let instanceA = try a.instanceID()
        let setup = try await BulkSetup.make(
            server: b,
            databaseURL: database.url,
            simulator: simulator,
            senders: 4,
            messagesPerSecond: 200
        )
        let recipients = BulkSetup.recipients(3_000)
        let started = ContinuousClock.now
        let bulkID = try await setup.postBulk(to: recipients)

        let progress = try await waitForStalledBatch(
            stall,
            of: instanceA,
            setup: setup,
            simulator: simulator,
            database: database,
            total: recipients.count
        )
        a.kill(signal: SIGKILL)
        let killed = ContinuousClock.now
        // Requests already held up keep their stall; every later request is accepted.
        for number in setup.senderNumbers {
            try await simulator.configureSender(number, stall.resetBehavior)
        }
        let heldIDs = try await database.heldInfobipIDs(instanceID: instanceA)
        #expect(progress.sent > 0)
        #expect(progress.sent < recipients.count)
        #expect(progress.stalledBatches > 0, "A never held a stalled batch")
        #expect(await a.waitForExit(timeout: .seconds(10)))

        let counts = try await setup.waitUntilSettled(bulkID: bulkID, timeout: .seconds(120))
        let settled = ContinuousClock.now
        let resent = try await database.policyResends(infobipMessageIDs: heldIDs)
        let stats = try await simulator.client.send("GET", "/simulator/stats", body: nil).json
        let duplicateIDs = stats["duplicateMessageIds"] as? [String] ?? []
        print(
            "sigkillMidBulkLosesNothing(\(stall)): killed A after \(killed - started) with "
                + "\(progress.sent) messages sent and \(heldIDs.count) held by A; every message "
                + "final \(settled - killed) later, \(settled - started) in all; \(resent) of "
                + "A's messages resent; \(duplicateIDs.count) duplicates at the simulator"
        )

        expectAllSent(counts, total: recipients.count)
        #expect(stats["messagesAccepted"] as? Int == recipients.count)
        try await expectOneMessageIDPerRecipient(simulator, recipients: recipients)
        // The stalled batch got no report, so only the policy's resend can have completed it.
        #expect(resent > 0)
        switch stall {
        case .neverAccepted: #expect(duplicateIDs.isEmpty)
        case .acceptedLate: #expect(!duplicateIDs.isEmpty)
        }
        for id in duplicateIDs {
            // A duplicate is a resend, on the same attempt, of a message A held when it died.
            #expect(heldIDs.contains(id), "duplicate \(id) was not held by the killed instance")
            let attempts = try await database.attemptCount(infobipMessageID: id)
            #expect(attempts == 1, "the message sent as \(id) has \(attempts) attempts")
            let resends = try await database.policyResends(infobipMessageIDs: [id])
            #expect(resends == 1, "the message sent as \(id) was not resent by the policy")
        }

        let recovered = b.logRecords(messagePrefix: "expired batch recovered")
        #expect(recovered.contains { $0["ownerInstanceId"] == instanceA })
        #expect(recovered.allSatisfy { $0["ownerInstanceId"] == instanceA })
        let released = recovered.reduce(0) { $0 + (Int($1["messages"] ?? "") ?? 0) }
        #expect(released <= heldIDs.count)
        // Every message resent by the policy was released by a recovery first.
        #expect(released >= resent)
    }

    /// Waits until a tenth of the bulk is sent and A holds a batch claimed over 2 s ago, which
    /// only a request that `stall` holds up keeps that long. Once a tenth is sent it sets the
    /// stall on every sender, again every 3 s until A has such a batch. It returns early,
    /// without such a batch, once 80 % is sent or after 60 s.
    private func waitForStalledBatch(
        _ stall: Stall,
        of instanceID: String,
        setup: BulkSetup,
        simulator: SimulatorProcess,
        database: QueueDatabase,
        total: Int
    ) async throws -> QueueDatabase.Progress {
        var progress = try await database.progress(instanceID: instanceID)
        var stalledAt: ContinuousClock.Instant?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline && progress.sent < total * 8 / 10 {
            if progress.sent >= total / 10 {
                if progress.stalledBatches > 0 {
                    break
                }
                if stalledAt.map({ ContinuousClock.now - $0 > .seconds(3) }) ?? true {
                    for number in setup.senderNumbers {
                        try await simulator.configureSender(number, stall.senderBehavior)
                    }
                    stalledAt = .now
                }
            }
            try await Task.sleep(for: .milliseconds(10))
            progress = try await database.progress(instanceID: instanceID)
        }
        return progress
    }

    /// Two instances drain one bulk together: each message goes out once, and both send.
    @Test func twoInstancesShareBulk() async throws {
        let databaseURL = try await TestDatabase.createDatabase()
        let simulator = try SimulatorProcess(arguments: ["--report-delay-ms", "100"])
        defer { simulator.stop() }
        let b = try await WabaRouterProcess.start(
            databaseURL: databaseURL,
            environment: Self.sharedQueueEnvironment
        )
        let a = try await WabaRouterProcess.start(
            databaseURL: databaseURL,
            publicURL: b.baseURL,
            environment: Self.sharedQueueEnvironment
        )
        let database = QueueDatabase(url: databaseURL)
        do {
            let setup = try await BulkSetup.make(
                server: b,
                databaseURL: databaseURL,
                simulator: simulator,
                senders: 4,
                messagesPerSecond: 200
            )
            let recipients = BulkSetup.recipients(2_000)
            let bulkID = try await setup.postBulk(to: recipients)
            let counts = try await setup.waitUntilSettled(bulkID: bulkID, timeout: .seconds(90))

            expectAllSent(counts, total: recipients.count)
            let stats = try await simulator.client.send("GET", "/simulator/stats", body: nil).json
            #expect(stats["duplicates"] as? Int == 0)
            #expect(stats["messagesAccepted"] as? Int == recipients.count)
            try await expectOneMessageIDPerRecipient(simulator, recipients: recipients)

            let batchesA = a.logRecords(messagePrefix: "batch sent")
            let batchesB = b.logRecords(messagePrefix: "batch sent")
            print(
                "twoInstancesShareBulk: A sent \(batchesA.count) batches, B \(batchesB.count)"
            )
            #expect(!batchesA.isEmpty)
            #expect(!batchesB.isEmpty)
            let sentByLog = (batchesA + batchesB).reduce(0) { $0 + (Int($1["sent"] ?? "") ?? 0) }
            #expect(sentByLog == recipients.count)
        } catch {
            await stopAll([a, b], database)
            throw error
        }
        await stopAll([a, b], database)
    }

    /// Infobip takes the message but responds after the timeout and sends no report. After the
    /// report wait the message goes again on the same sender with the same id, which Infobip
    /// rejects as a duplicate of the message it already has, so the message counts as SENT.
    @Test func unknownOutcomeResendsSameID() async throws {
        try await withHangingSender(policy: .resend) { scenario, number in
            let response = try await scenario.send()
            #expect(response.status == 202)
            let id = try #require(response.json[string: "id"])
            let waiting = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            #expect(waiting.json[string: "status"] == "SENDING")

            let sent = try await scenario.waitForStatus(id, "SENT", timeout: .seconds(30))
            #expect(sent[string: "status"] == "SENT")
            let attempts = sent[objects: "attempts"]
            #expect(attempts.count == 1)
            #expect(attempts.first?[string: "infobipMessageId"] == id)
            #expect(attempts.first?["requests"] as? Int == 2)

            let messages = try await scenario.simulator.sentMessages()
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0[string: "messageId"] == id })
            #expect(messages.allSatisfy { $0[string: "from"] == number })
            let stats = try await scenario.simulator.client.send(
                "GET",
                "/simulator/stats",
                body: nil
            )
            #expect(stats.json["messagesAccepted"] as? Int == 1)
            #expect(stats.json["duplicateMessageIds"] as? [String] == [id])
        }
    }

    /// With the `fail` policy the message fails after the report wait, and nothing is resent.
    @Test func unknownOutcomeFailsUnderFailPolicy() async throws {
        try await withHangingSender(policy: .fail) { scenario, _ in
            let response = try await scenario.send()
            #expect(response.status == 202)
            let id = try #require(response.json[string: "id"])

            let failed = try await scenario.waitForStatus(id, "FAILED", timeout: .seconds(30))
            #expect(failed[string: "status"] == "FAILED")
            let reason = failed[string: "failureReason"] ?? ""
            #expect(reason.contains("report did not arrive"), "\(reason)")
            let messages = try await scenario.simulator.sentMessages()
            #expect(messages.count == 1)
        }
    }

    /// A server started by ``WabaRouterProcess`` stops cleanly once its standard input closes,
    /// as it does when the test process dies.
    @Test func serverStopsWhenStdinCloses() async throws {
        let server = try await WabaRouterProcess.start(
            databaseURL: try await TestDatabase.createDatabase()
        )
        server.closeStandardInput()
        let exited = await server.waitForExit(timeout: .seconds(20))
        #expect(exited)
        #expect(server.terminationStatus == 0)
        #expect(!server.logRecords(messagePrefix: "stopping because standard input closed").isEmpty)
        #expect(!server.logRecords(messagePrefix: "wabarouter stopped").isEmpty)
    }

    @Test func invalidExitOnStdinCloseIsRejected() async throws {
        let result = try await WabaRouterProcess.run(
            ["serve"],
            environment: [
                "DATABASE_URL": TestDatabase.url,
                "SECRET_KEY": TestServer.sharedSecretKey.hex,
                "EXIT_ON_STDIN_CLOSE": "yes",
            ]
        )
        #expect(result.status == 1)
        #expect(result.errors.contains("EXIT_ON_STDIN_CLOSE is 'yes'"))
    }

    // MARK: - Helpers

    /// Runs `body` with an in-process server whose Infobip calls time out after 1 s and whose
    /// report wait is 3 s. Its one sender's first request gets the simulator's response only
    /// after 2 s, and the simulator accepts the message without sending any report.
    private func withHangingSender(
        policy: DispatchConfiguration.UnknownOutcomePolicy,
        _ body: (Scenario, String) async throws -> Void
    ) async throws {
        let simulator = try SimulatorProcess(arguments: ["--report-delay-ms", "100"])
        defer { simulator.stop() }
        var dispatch = TestServer.fastDispatch
        dispatch.reportWait = .seconds(3)
        dispatch.unknownOutcomePolicy = policy
        let server = try await TestServer.start(infobipTimeout: .seconds(1), dispatch: dispatch)
        do {
            let scenario = try await Scenario.make(server: server, simulator: simulator)
            let number = Scenario.randomNumber()
            try await scenario.addSender(number)
            try await scenario.addTemplate()
            try await simulator.configureSender(
                number,
                ["behavior": "hang", "hangSeconds": 2, "times": 1, "reports": []]
            )
            try await body(scenario, number)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    private func expectAllSent(
        _ counts: [String: Int],
        total: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for status in ["QUEUED", "SENDING", "FAILED", "EXPIRED", "CANCELLED"] {
            #expect(counts[status] == 0, "\(status): \(counts)", sourceLocation: sourceLocation)
        }
        let sent = ["SENT", "DELIVERED", "SEEN"].reduce(0) { $0 + (counts[$1] ?? 0) }
        #expect(sent == total, "\(counts)", sourceLocation: sourceLocation)
    }

    /// Checks that every recipient got messages with one Infobip message id only, so the
    /// simulator, which accepts an id once, accepted exactly one message per recipient.
    private func expectOneMessageIDPerRecipient(
        _ simulator: SimulatorProcess,
        recipients: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var ids: [String: Set<String>] = [:]
        for message in try await simulator.sentMessages() {
            guard let to = message[string: "to"], let id = message[string: "messageId"] else {
                continue
            }
            ids[to, default: []].insert(id)
        }
        #expect(ids.count == recipients.count, sourceLocation: sourceLocation)
        let repeated = ids.filter { $0.value.count > 1 }
        #expect(repeated.isEmpty, "\(repeated.prefix(5))", sourceLocation: sourceLocation)
    }

    private func stopAll(_ servers: [WabaRouterProcess], _ database: QueueDatabase) async {
        for server in servers {
            await server.stop()
        }
        await database.shutdown()
    }
}

/// A tenant whose WABA, senders and approved template were created through a server's API,
/// with a portfolio without a messaging limit, ready for bulks.
private struct BulkSetup {
    let client: HTTPTestClient
    let wabaID: String
    let senderNumbers: [String]

    static func make(
        server: WabaRouterProcess,
        databaseURL: String,
        simulator: SimulatorProcess,
        senders: Int,
        messagesPerSecond: Int
    ) async throws -> BulkSetup {
        let apiKey = try await WabaRouterProcess.createTenant(
            databaseURL: databaseURL,
            name: "crash-recovery"
        )
        let client = HTTPTestClient(baseURL: server.baseURL, bearerToken: apiKey)
        let waba = try requireStatus(
            201,
            await client.send(
                "POST",
                "/wabas",
                json: [
                    "name": "Crash recovery",
                    "apiKey": "test-infobip-key-1234",
                    "baseUrl": simulator.baseURL,
                    "wabaId": String(Int.random(in: 100_000_000...999_999_999)),
                ]
            )
        )
        let wabaID = try #require(waba[string: "id"])
        let portfolioID = try #require(waba[string: "portfolioId"])
        try requireStatus(
            200,
            await client.send(
                "PATCH",
                "/portfolios/\(portfolioID)",
                json: ["messagingLimit": "UNLIMITED"]
            )
        )
        let senderNumbers = (0..<senders).map { "4477009\(90_000 + $0)" }
        for number in senderNumbers {
            try requireStatus(
                201,
                await client.send(
                    "POST",
                    "/wabas/\(wabaID)/senders",
                    json: ["number": number, "messagesPerSecond": messagesPerSecond]
                )
            )
        }
        try requireStatus(
            201,
            await client.send(
                "POST",
                "/wabas/\(wabaID)/templates",
                json: [
                    "name": "order_update",
                    "language": "en",
                    "category": "UTILITY",
                    "components": ["body": ["text": "Hello {{1}}, your order {{2}} is ready."]],
                ]
            )
        )
        return BulkSetup(client: client, wabaID: wabaID, senderNumbers: senderNumbers)
    }

    /// `count` distinct UK mobile numbers in E.164 digits.
    static func recipients(_ count: Int) -> [String] {
        (0..<count).map { "4477009" + String(format: "%05d", $0) }
    }

    /// Posts one bulk of the template to `recipients` and returns its id.
    func postBulk(to recipients: [String]) async throws -> String {
        let messages = recipients.enumerated().map { index, to in
            ["to": to, "params": ["body": ["Ana", "A-\(index)"]]] as [String: Any]
        }
        let bulk = try Self.requireStatus(
            202,
            await client.send(
                "POST",
                "/messages/bulk",
                json: [
                    "wabaId": wabaID, "templateName": "order_update", "language": "en",
                    "messages": messages,
                ]
            )
        )
        #expect(bulk["accepted"] as? Int == recipients.count)
        return try #require(bulk[string: "bulkId"])
    }

    /// Polls the bulk until no message is QUEUED or SENDING, for at most `timeout`, and
    /// returns its counts per status.
    func waitUntilSettled(bulkID: String, timeout: Duration) async throws -> [String: Int] {
        let deadline = ContinuousClock.now + timeout
        var counts: [String: Int] = [:]
        while ContinuousClock.now < deadline {
            let view = try await client.send("GET", "/bulks/\(bulkID)", body: nil).json
            counts = view["counts"] as? [String: Int] ?? [:]
            if counts["QUEUED"] == 0 && counts["SENDING"] == 0 {
                return counts
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return counts
    }

    /// Returns the response's JSON body, or throws when its status is not `status`.
    @discardableResult
    private static func requireStatus(
        _ status: Int,
        _ answer: TestResponse
    ) throws -> [String: Any] {
        guard answer.status == status else {
            throw SimulatorError("expected \(status), got \(answer.status): \(answer.text)")
        }
        return answer.json
    }
}

/// Direct reads of the queue's tables, for state the API does not show: which batches an
/// instance holds and how a message's attempts were repeated.
private struct QueueDatabase {
    let url: String
    let pool: PostgresPool

    init(url: String) {
        self.url = url
        self.pool = PostgresPool(
            configuration: PostgresConfiguration(connectionString: url, poolSize: 1),
            logger: Logger(label: "test.crash-recovery", level: .warning)
        )
    }

    /// How far a bulk got, and what one instance holds.
    struct Progress: Sendable {
        /// Messages Infobip accepted.
        var sent: Int
        /// The instance's batches claimed more than 2 s ago.
        var stalledBatches: Int
    }

    func progress(instanceID: String) async throws -> Progress {
        try await pool.withConnection { connection in
            let row = try connection.query(
                """
                SELECT (SELECT count(*) FROM messages
                        WHERE status IN ('SENT', 'DELIVERED', 'SEEN')) AS sent,
                       (SELECT count(*) FROM dispatch_batches
                        WHERE instance_id = \(instanceID)
                          AND claimed_at < now() - interval '2 seconds') AS stalled
                """
            )[0]
            return Progress(
                sent: try row.decode("sent", as: Int.self),
                stalledBatches: try row.decode("stalled", as: Int.self)
            )
        }
    }

    /// Returns the Infobip message ids of the messages in the batches `instanceID` holds.
    func heldInfobipIDs(instanceID: String) async throws -> Set<String> {
        try await pool.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT a.infobip_message_id
                FROM dispatch_batches b
                JOIN messages m ON m.batch_id = b.id
                JOIN message_attempts a ON a.id = m.current_attempt_id
                WHERE b.instance_id = \(instanceID)
                """
            )
            return Set(try rows.map { try $0.decode("infobip_message_id", as: String.self) })
        }
    }

    /// Returns the number of attempts of the message sent as `infobipMessageID`.
    func attemptCount(infobipMessageID: String) async throws -> Int {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT count(*) AS attempts FROM message_attempts
                WHERE message_id = (SELECT message_id FROM message_attempts
                                    WHERE infobip_message_id = \(infobipMessageID))
                """
            )[0].decode("attempts", as: Int.self)
        }
    }

    /// Returns how many of the messages sent as `infobipMessageIDs` the unknown-outcome
    /// policy returned to the queue for a resend.
    func policyResends(infobipMessageIDs: Set<String>) async throws -> Int {
        let ids = Array(infobipMessageIDs)
        return try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT count(DISTINCT e.message_id) AS resent
                FROM message_events e
                JOIN message_attempts a ON a.message_id = e.message_id
                WHERE a.infobip_message_id = ANY(\(ids)::text[])
                  AND e.source = 'queue' AND e.status = 'QUEUED'
                """
            )[0].decode("resent", as: Int.self)
        }
    }

    func shutdown() async {
        await pool.shutdown()
    }
}
