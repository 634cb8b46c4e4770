/// libpq connection parameters shared by pool connections and listeners.
enum ConnectionParameters {
    /// Seconds libpq waits for a connection before failing, unless the connection string sets
    /// `connect_timeout`.
    static let defaultConnectTimeoutSeconds = 10

    /// Builds the parameter list for ``LibPQConnection/open(parameters:noticeHandler:)``.
    ///
    /// Keys before `dbname` are defaults that the connection string may override, and keys after
    /// it override the connection string. TCP keepalives make a silently dropped peer surface as a
    /// socket error within about a minute instead of the kernel's default of hours.
    ///
    /// - Parameters:
    ///   - connectionString: The caller's URL or key=value string.
    ///   - applicationName: When set, replaces any `application_name` in the connection string.
    ///   - fallbackApplicationName: Used when neither sets `application_name`.
    static func make(
        connectionString: String,
        applicationName: String?,
        fallbackApplicationName: String
    ) -> [(key: String, value: String)] {
        var parameters: [(key: String, value: String)] = [
            ("connect_timeout", String(defaultConnectTimeoutSeconds)),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
            ("fallback_application_name", fallbackApplicationName),
            ("dbname", connectionString),
        ]
        if let applicationName {
            parameters.append(("application_name", applicationName))
        }
        // Text values are converted to Swift strings as UTF-8.
        parameters.append(("client_encoding", "UTF8"))
        return parameters
    }
}
