/// Settings of a ``PostgresPool``.
public struct PostgresConfiguration: Sendable {
    /// A libpq URL (`postgresql://user@host:port/db`) or key=value connection string.
    ///
    /// It may contain a password, so this module never logs it or puts it in an error.
    public var connectionString: String

    /// Number of connections, each with its own thread, at least 1. Defaults to 4.
    public var poolSize: Int

    /// `statement_timeout` set on every connection, where `.zero` disables it. Defaults to 30 s.
    public var statementTimeout: Duration

    /// `idle_in_transaction_session_timeout` set on every connection, where `.zero` disables
    /// it. Defaults to 60 s.
    ///
    /// The server closes a session that stays this long inside a transaction without sending a
    /// command, and the pool then reconnects it.
    public var idleInTransactionTimeout: Duration

    /// `application_name` of every connection, shown in `pg_stat_activity` and in this
    /// module's log records. It overrides one given in ``connectionString``. Defaults to
    /// `wabarouter`.
    public var applicationName: String

    /// Creates a configuration. Each property's documentation gives its meaning and unit.
    public init(
        connectionString: String,
        poolSize: Int = 4,
        statementTimeout: Duration = .seconds(30),
        idleInTransactionTimeout: Duration = .seconds(60),
        applicationName: String = "wabarouter"
    ) {
        self.connectionString = connectionString
        self.poolSize = poolSize
        self.statementTimeout = statementTimeout
        self.idleInTransactionTimeout = idleInTransactionTimeout
        self.applicationName = applicationName
    }
}

extension Duration {
    /// Whole milliseconds for a server timeout setting, rounded up so that a positive duration
    /// never becomes 0 (which disables the timeout) and capped at the server's maximum,
    /// 2^31 - 1 ms.
    var timeoutMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, self > .zero else { return 0 }
        let maximum = Int64(Int32.max)
        guard seconds < maximum / 1000 else { return maximum }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let partial = (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        return min(maximum, seconds * 1000 + partial)
    }
}
