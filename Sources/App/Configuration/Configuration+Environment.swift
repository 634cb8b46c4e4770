import Crypto
import Domain
import Foundation
import Logging

extension Configuration {
    /// Reads the configuration from environment variables.
    ///
    /// - Throws: ``ConfigurationError`` naming the first variable that is missing or invalid.
    public init(environment: [String: String]) throws(ConfigurationError) {
        guard let databaseURL = environment["DATABASE_URL"], !databaseURL.isEmpty else {
            throw ConfigurationError(
                variable: "DATABASE_URL",
                problem: "is not set. Set it to a PostgreSQL URL such as "
                    + "postgresql://wabarouter@127.0.0.1:5432/wabarouter, or use `make run`, "
                    + "which starts a local PostgreSQL."
            )
        }
        let port = try Self.integer(environment, "PORT", default: 8080, range: 1...65535)
        guard let secretHex = environment["SECRET_KEY"], !secretHex.isEmpty else {
            throw ConfigurationError(
                variable: "SECRET_KEY",
                problem: "is not set. Set it to 64 hexadecimal characters, for example the "
                    + "output of `openssl rand -hex 32`, and give every instance the same value."
            )
        }
        let secretKey: SecretKey
        do {
            secretKey = try SecretKey(hex: secretHex)
        } catch {
            throw ConfigurationError(variable: "SECRET_KEY", problem: "is invalid. \(error)")
        }

        self.init(
            databaseURL: databaseURL,
            port: port,
            host: environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "0.0.0.0",
            publicURL: try Self.publicURL(environment),
            logLevel: try Self.logLevel(environment),
            secretKey: secretKey,
            databasePoolSize: try Self.integer(
                environment,
                "DATABASE_POOL_SIZE",
                default: 8,
                range: 1...200
            ),
            infobipTimeout: .seconds(
                try Self.integer(
                    environment,
                    "INFOBIP_TIMEOUT_SECONDS",
                    default: 10,
                    range: 1...300
                )
            ),
            migrationsDirectory: environment["MIGRATIONS_DIR"].flatMap { $0.isEmpty ? nil : $0 },
            dispatch: try Self.dispatch(environment)
        )
    }

    private static func dispatch(
        _ environment: [String: String]
    ) throws(ConfigurationError) -> DispatchConfiguration {
        var dispatch = DispatchConfiguration()
        dispatch.workers = try integer(environment, "DISPATCH_WORKERS", default: 4, range: 1...64)
        dispatch.batchSize = try integer(
            environment,
            "DISPATCH_BATCH_SIZE",
            default: 100,
            range: 1...1000
        )
        dispatch.pollInterval = .milliseconds(
            try integer(
                environment,
                "DISPATCH_POLL_MILLISECONDS",
                default: 1000,
                range: 10...60_000
            )
        )
        dispatch.lease = .seconds(
            try integer(environment, "DISPATCH_LEASE_SECONDS", default: 30, range: 3...3600)
        )
        dispatch.reportWait = .seconds(
            try integer(
                environment,
                "UNKNOWN_OUTCOME_WAIT_SECONDS",
                default: 600,
                range: 1...86_400
            )
        )
        if let text = environment["UNKNOWN_OUTCOME_POLICY"], !text.isEmpty {
            guard let policy = DispatchConfiguration.UnknownOutcomePolicy(rawValue: text) else {
                throw ConfigurationError(
                    variable: "UNKNOWN_OUTCOME_POLICY",
                    problem: "is '\(text)'; it must be resend or fail."
                )
            }
            dispatch.unknownOutcomePolicy = policy
        }
        dispatch.rateWindow = .milliseconds(
            try integer(
                environment,
                "SENDER_RATE_WINDOW_MILLISECONDS",
                default: 1100,
                range: 1000...10_000
            )
        )
        dispatch.pairPacing = PairPacing(
            interval: .seconds(
                try integer(environment, "PAIR_INTERVAL_SECONDS", default: 6, range: 1...3600)
            ),
            burst: try integer(environment, "PAIR_BURST", default: 45, range: 1...1000)
        )
        return dispatch
    }

    private static func integer(
        _ environment: [String: String],
        _ name: String,
        default defaultValue: Int,
        range: ClosedRange<Int>
    ) throws(ConfigurationError) -> Int {
        guard let text = environment[name], !text.isEmpty else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                problem: "is '\(text)'; it must be a whole number from \(range.lowerBound) to "
                    + "\(range.upperBound)."
            )
        }
        return value
    }

    private static func logLevel(
        _ environment: [String: String]
    ) throws(ConfigurationError) -> Logger.Level {
        guard let text = environment["LOG_LEVEL"], !text.isEmpty else { return .info }
        guard let level = Logger.Level(name: text) else {
            throw ConfigurationError(
                variable: "LOG_LEVEL",
                problem: "is '\(text)'; it must be one of trace, debug, info, warning, error."
            )
        }
        return level
    }

    private static func publicURL(
        _ environment: [String: String]
    ) throws(ConfigurationError) -> String? {
        guard var text = environment["PUBLIC_URL"], !text.isEmpty else { return nil }
        while text.hasSuffix("/") {
            text.removeLast()
        }
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["http", "https"].contains(scheme.lowercased()),
            components.host?.isEmpty == false, components.query == nil
        else {
            throw ConfigurationError(
                variable: "PUBLIC_URL",
                problem: "is '\(text)'; it must be an http or https URL without a query, such "
                    + "as https://wabarouter.example.com."
            )
        }
        return text
    }
}

/// A missing or invalid environment variable.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// Name of the variable at fault.
    public var variable: String
    /// The fault and its fix, as a sentence that follows the variable's name.
    public var problem: String

    public var description: String {
        "\(variable) \(problem)"
    }
}
