import App
import Foundation
import Testing

@Suite struct ConfigurationTests {
    static let valid: [String: String] = [
        "DATABASE_URL": "postgresql://user@127.0.0.1:5432/db",
        "SECRET_KEY": String(repeating: "ab", count: 32),
    ]

    @Test func defaultsApplyWhenUnset() throws {
        let configuration = try Configuration(environment: Self.valid)
        #expect(configuration.port == 8080)
        #expect(configuration.publicURL == "http://127.0.0.1:8080")
        #expect(configuration.notifyURL == "http://127.0.0.1:8080/webhooks/infobip")
        #expect(configuration.logLevel == .info)
    }

    @Test func publicUrlTrailingSlashRemoved() throws {
        var environment = Self.valid
        environment["PUBLIC_URL"] = "https://wabarouter.example.com/"
        let configuration = try Configuration(environment: environment)
        #expect(configuration.notifyURL == "https://wabarouter.example.com/webhooks/infobip")
    }

    @Test(arguments: [
        ("DATABASE_URL", nil as String?),
        ("SECRET_KEY", nil),
        ("SECRET_KEY", "short"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("LOG_LEVEL", "loud"),
        ("PUBLIC_URL", "ftp://example.com"),
        ("DATABASE_POOL_SIZE", "0"),
    ])
    func invalidVariableNamed(variable: String, value: String?) {
        var environment = Self.valid
        environment[variable] = value
        do {
            _ = try Configuration(environment: environment)
            Issue.record("\(variable)=\(value ?? "unset") was accepted")
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.hasPrefix(variable))
        }
    }
}
