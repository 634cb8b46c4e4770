import Crypto
public import Foundation
import Logging
import Postgres

/// The `wabarouter` command: `serve`, `migrate` and `tenant create`.
public enum CommandLineTool {
    static let usage = """
        Usage:
          wabarouter serve                       Start the HTTP server (the default).
          wabarouter migrate                     Apply pending database migrations and exit.
          wabarouter tenant create --name NAME   Create a tenant and print its API key.

        Environment: DATABASE_URL (all commands); PORT, HOST, PUBLIC_URL, LOG_LEVEL, SECRET_KEY,
        DATABASE_POOL_SIZE, INFOBIP_TIMEOUT_SECONDS, MIGRATIONS_DIR, EXIT_ON_STDIN_CLOSE,
        DISPATCH_WORKERS, DISPATCH_BATCH_SIZE, DISPATCH_POLL_MILLISECONDS,
        DISPATCH_LEASE_SECONDS, UNKNOWN_OUTCOME_WAIT_SECONDS, UNKNOWN_OUTCOME_POLICY,
        SENDER_RATE_WINDOW_MILLISECONDS, PAIR_INTERVAL_SECONDS, PAIR_BURST (serve).
        README.md explains each.
        """

    /// Runs the command named by `arguments` (without the program name) and returns the exit
    /// status: 0 on success, 1 when the command failed, 2 for a usage error.
    public static func run(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> Int32 {
        let levelName = environment["LOG_LEVEL"] ?? "info"
        let logger = Logger(label: "wabarouter", level: Logger.Level(name: levelName) ?? .info)
        do {
            switch arguments.first ?? "serve" {
            case "serve":
                try await serve(environment: environment, logger: logger)
            case "migrate":
                try await migrate(environment: environment, logger: logger)
            case "tenant":
                guard arguments.count >= 2, arguments[1] == "create" else {
                    return usageError("Unknown tenant command; use `tenant create --name NAME`.")
                }
                guard let name = option("--name", in: arguments), !name.isEmpty else {
                    return usageError("tenant create needs --name NAME.")
                }
                // The tenants table holds 1 to 200 characters, counted as PostgreSQL counts.
                guard name.unicodeScalars.count <= 200, !name.unicodeScalars.contains("\u{0}")
                else {
                    return usageError("--name must have 1 to 200 characters and no NUL.")
                }
                try await createTenant(name: name, environment: environment, logger: logger)
            case "help", "--help", "-h":
                print(usage)
            default:
                return usageError("Unknown command '\(arguments[0])'.")
            }
            return 0
        } catch let error as ConfigurationError {
            logger.error(
                "configuration invalid",
                ["variable": error.variable, "error": error.description]
            )
            printError(error.description)
            return 1
        } catch {
            logger.error("command failed", ["error": String(describing: error)])
            printError("wabarouter: \(error)")
            return 1
        }
    }

    private static func serve(environment: [String: String], logger: Logger) async throws {
        let configuration = try Configuration(environment: environment)
        let watchesStandardInput = try ShutdownSignal.watchesStandardInput(environment)
        var logger = logger
        logger.level = configuration.logLevel
        let application = Application(configuration: configuration, logger: logger)
        try await application.start()
        try await createDefaultTenantIfNone(pool: application.pool, logger: logger)
        await ShutdownSignal.wait(watchingStandardInput: watchesStandardInput, logger: logger)
        await application.stop()
    }

    /// Creates tenant `default` on first start, and prints its key once on standard output.
    ///
    /// The migration advisory lock serialises instances starting together, so only one of them
    /// creates the tenant.
    private static func createDefaultTenantIfNone(pool: PostgresPool, logger: Logger) async throws {
        let token = APIToken.generate()
        let created = try await pool.withTransaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock(\(Migrator.advisoryLockKey))")
            guard try TenantStore.count(connection) == 0 else { return nil as Tenant? }
            return try TenantStore.insert(
                connection,
                name: "default",
                apiKeyHash: APIToken.hash(token)
            )
        }
        guard let created else { return }
        logger.info("default tenant created", ["tenantId": created.id.uuidString.lowercased()])
        print("Created tenant 'default'. Its API key is shown only this once:")
        print(token)
        fflush(nil)
    }

    private static func migrate(environment: [String: String], logger: Logger) async throws {
        let pool = try databasePool(environment: environment, logger: logger)
        let directory = environment["MIGRATIONS_DIR"] ?? Migrator.defaultDirectory()
        do {
            let applied = try await Migrator(directory: directory, logger: logger).migrate(
                pool: pool
            )
            print(applied.isEmpty ? "No pending migrations." : "Applied migrations: \(applied).")
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    private static func createTenant(
        name: String,
        environment: [String: String],
        logger: Logger
    ) async throws {
        let pool = try databasePool(environment: environment, logger: logger)
        let token = APIToken.generate()
        do {
            let tenant = try await pool.withConnection { connection in
                try TenantStore.insert(connection, name: name, apiKeyHash: APIToken.hash(token))
            }
            logger.info("tenant created", ["tenantId": tenant.id.uuidString.lowercased()])
            print("Created tenant '\(name)' with id \(tenant.id.uuidString.lowercased()).")
            print("Its API key is shown only this once:")
            print(token)
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    private static func databasePool(
        environment: [String: String],
        logger: Logger
    ) throws -> PostgresPool {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            throw ConfigurationError(
                variable: "DATABASE_URL",
                problem: "is not set. Set it to a PostgreSQL URL such as "
                    + "postgresql://wabarouter@127.0.0.1:5432/wabarouter."
            )
        }
        return PostgresPool(
            configuration: PostgresConfiguration(connectionString: url, poolSize: 1),
            logger: logger.relabeled("wabarouter.postgres")
        )
    }

    private static func option(_ name: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else {
            return nil
        }
        return arguments[index + 1]
    }

    private static func usageError(_ message: String) -> Int32 {
        printError("wabarouter: \(message)\n\n\(usage)")
        return 2
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
