import Testing

@testable import Postgres

/// Defaults of `PostgresConfiguration` and the millisecond values sent for its timeouts.
@Suite struct ConfigurationTests {
    @Test func defaultsMatchDocumentation() {
        let configuration = PostgresConfiguration(connectionString: "postgresql://localhost/db")
        #expect(configuration.poolSize == 4)
        #expect(configuration.statementTimeout == .seconds(30))
        #expect(configuration.idleInTransactionTimeout == .seconds(60))
        #expect(configuration.applicationName == "wabarouter")
    }

    @Test func timeoutMillisecondsRoundUp() {
        #expect(Duration.seconds(30).timeoutMilliseconds == 30_000)
        #expect(Duration.milliseconds(1500).timeoutMilliseconds == 1500)
        #expect(Duration.microseconds(1).timeoutMilliseconds == 1)
        #expect(Duration.microseconds(1001).timeoutMilliseconds == 2)
    }

    @Test func timeoutMillisecondsClamped() {
        #expect(Duration.zero.timeoutMilliseconds == 0)
        #expect(Duration.seconds(-5).timeoutMilliseconds == 0)
        #expect(Duration.seconds(10_000_000).timeoutMilliseconds == Int64(Int32.max))
    }
}
