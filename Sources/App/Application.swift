import Crypto
public import Foundation
import HTTPServer
import Infobip
public import Logging
public import Postgres
import Synchronization

/// One WabaRouter instance: database pool, migrations, HTTP server and its routes.
///
/// Instances are stateless: any number of them can share one PostgreSQL database behind a load
/// balancer, and Infobip's webhooks may reach any of them.
public final class Application: Sendable {
    public let configuration: Configuration
    public let pool: PostgresPool
    /// This instance's id in dispatch leases and logs: host name, process id and a random
    /// suffix, so a restarted process never inherits its predecessor's leases.
    public let instanceID: String
    private let logger: Logger
    private let server: HTTPServer
    private let queue: QueueDispatcher

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.pool = PostgresPool(
            configuration: PostgresConfiguration(
                connectionString: configuration.databaseURL,
                poolSize: configuration.databasePoolSize
            ),
            logger: logger.relabeled("wabarouter.postgres")
        )
        let infobip = InfobipClient(
            timeout: configuration.infobipTimeout,
            logger: logger.relabeled("wabarouter.infobip")
        )
        let instanceID = Self.makeInstanceID()
        let dispatch = configuration.dispatch
        let claimer = BatchClaimer(configuration: dispatch, instanceID: instanceID)
        let batchSender = BatchSender(
            infobip: infobip,
            secretKey: configuration.secretKey,
            notifyURL: configuration.notifyURL,
            configuration: dispatch
        )
        let recorder = BatchRecorder(configuration: dispatch)
        self.instanceID = instanceID
        self.queue = QueueDispatcher(
            pool: pool,
            claimer: claimer,
            sender: batchSender,
            recorder: recorder,
            configuration: dispatch,
            connectionString: configuration.databaseURL,
            logger: logger.relabeled("wabarouter.dispatch").with("instanceId", instanceID)
        )
        let api = API(
            pool: pool,
            secretKey: configuration.secretKey,
            dispatcher: MessageDispatcher(
                pool: pool,
                claimer: claimer,
                sender: batchSender,
                recorder: recorder,
                configuration: dispatch
            ),
            templates: TemplateService(
                pool: pool,
                infobip: infobip,
                secretKey: configuration.secretKey
            ),
            reports: ReportProcessor(pool: pool, configuration: dispatch),
            bulks: BulkAcceptor(pool: pool),
            portfolioLimits: PortfolioLimitService(
                pool: pool,
                infobip: infobip,
                secretKey: configuration.secretKey
            ),
            logger: logger.relabeled("wabarouter.http")
        )
        self.server = HTTPServer(
            configuration: HTTPServer.Configuration(
                host: configuration.host,
                port: configuration.port,
                bodyPolicy: { method, path in
                    // A bulk of 100,000 messages goes to a spool file, not to memory.
                    method == "POST" && path == "/messages/bulk"
                        ? .spool(maxBytes: API.maximumBulkBodyBytes)
                        : .buffer(maxBytes: 16 << 20)
                },
                refusalResponse: { refusal in
                    Problem.refusal(refusal).response(instance: refusal.path)
                }
            ),
            logger: logger.relabeled("wabarouter.http"),
            handler: { request in await api.handle(request) }
        )
    }

    /// The port the HTTP server listens on; valid after ``start()``.
    public var port: Int { server.port }

    /// Applies pending migrations and starts serving.
    public func start() async throws {
        logger.info(
            "wabarouter starting",
            ["port": String(configuration.port), "publicUrl": configuration.publicURL]
        )
        let directory = configuration.migrationsDirectory ?? Migrator.defaultDirectory()
        let applied = try await Migrator(directory: directory, logger: logger).migrate(pool: pool)
        logger.info(
            "migrations checked",
            ["applied": applied.map(String.init).joined(separator: ",")]
        )
        try server.start()
        queue.start()
        logger.info(
            "wabarouter started",
            ["port": String(server.port), "instanceId": instanceID]
        )
    }

    /// Creates a tenant and returns its new API key, which is stored only as a hash.
    public func createTenant(name: String) async throws -> (id: UUID, apiKey: String) {
        let token = APIToken.generate()
        let tenant = try await pool.withConnection { connection in
            try TenantStore.insert(connection, name: name, apiKeyHash: APIToken.hash(token))
        }
        logger.info("tenant created", ["tenantId": tenant.id.uuidString.lowercased()])
        return (tenant.id, token)
    }

    private static func makeInstanceID() -> String {
        let host = ProcessInfo.processInfo.hostName.prefix(40)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }

    /// Stops the dispatchers, letting their batches finish, then stops serving, letting requests
    /// in flight finish, and closes the database pool.
    public func stop() async {
        logger.info("wabarouter stopping")
        // Batches in flight finish first, while the HTTP server still takes the reports that
        // Infobip posts for them; with one instance, a report refused now would be lost.
        await queue.stop()
        await server.stop()
        await pool.shutdown()
        logger.info("wabarouter stopped")
    }
}
