public import Crypto
import Foundation
public import Logging

/// Settings of one WabaRouter instance, read from environment variables.
public struct Configuration: Sendable {
    /// libpq connection URL (`DATABASE_URL`), such as `postgresql://user@host:5432/wabarouter`.
    public var databaseURL: String
    /// TCP port the HTTP server listens on (`PORT`); defaults to 8080.
    public var port: Int
    /// Address the HTTP server binds (`HOST`); defaults to 0.0.0.0.
    public var host: String
    /// Base URL Infobip reaches this deployment at (`PUBLIC_URL`), without a trailing slash.
    /// Reports are posted to `{publicURL}/webhooks/infobip`. Defaults to
    /// `http://127.0.0.1:{PORT}`, which only a local simulator can reach.
    public var publicURL: String
    /// Minimum log level (`LOG_LEVEL`): trace, debug, info, warning or error; defaults to info.
    public var logLevel: Logger.Level
    /// Key that encrypts Infobip API keys at rest (`SECRET_KEY`, 64 hexadecimal characters).
    /// Every instance sharing a database needs the same key.
    public var secretKey: SecretKey
    /// Connections in the database pool (`DATABASE_POOL_SIZE`); defaults to 8.
    public var databasePoolSize: Int
    /// How long one Infobip call may take before its outcome counts as unknown
    /// (`INFOBIP_TIMEOUT_SECONDS`); defaults to 10 seconds.
    public var infobipTimeout: Duration
    /// Folder holding the numbered `.sql` migrations (`MIGRATIONS_DIR`); defaults to the `sql`
    /// folder of the source tree the binary was built from, then `./sql`.
    public var migrationsDirectory: String?
    /// Settings of the queue's dispatchers.
    public var dispatch: DispatchConfiguration

    public init(
        databaseURL: String,
        port: Int = 8080,
        host: String = "0.0.0.0",
        publicURL: String? = nil,
        logLevel: Logger.Level = .info,
        secretKey: SecretKey,
        databasePoolSize: Int = 8,
        infobipTimeout: Duration = .seconds(10),
        migrationsDirectory: String? = nil,
        dispatch: DispatchConfiguration = DispatchConfiguration()
    ) {
        self.databaseURL = databaseURL
        self.port = port
        self.host = host
        self.publicURL = publicURL ?? "http://127.0.0.1:\(port)"
        self.logLevel = logLevel
        self.secretKey = secretKey
        self.databasePoolSize = databasePoolSize
        self.infobipTimeout = infobipTimeout
        self.migrationsDirectory = migrationsDirectory
        self.dispatch = dispatch
    }

    /// The URL given to Infobip as each message's `notifyUrl`.
    public var notifyURL: String {
        publicURL + "/webhooks/infobip"
    }
}
