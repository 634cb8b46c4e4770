import Testing

@testable import InfobipSimulator

@Suite struct CommandLineOptionsTests {
    @Test func defaultsApplyWithPortOnly() throws {
        let command = try CommandLineOptions.parse(["--port", "0"])
        var expected = CommandLineOptions()
        expected.port = 0
        #expect(command == .run(expected))
        #expect(expected.host == "127.0.0.1")
        #expect(expected.reportDelayMilliseconds == 200)
        #expect(expected.templateStatus == "APPROVED")
        #expect(expected.logLevel == .info)
        #expect(expected.logBodies)
        #expect(expected.simulatorConfiguration.logsRequestBodies)
        #expect(!expected.exitsOnStandardInputClose)
    }

    @Test func everyFlagIsParsed() throws {
        let command = try CommandLineOptions.parse([
            "--port=8099", "--host", "::1", "--api-key", "a", "--api-key=b",
            "--report-delay-ms", "50", "--template-status", "PENDING", "--log-level", "debug",
            "--log-bodies=off",
        ])
        guard case .run(let options) = command else {
            Issue.record("expected run, got \(command)")
            return
        }
        #expect(options.port == 8099)
        #expect(options.host == "::1")
        #expect(options.apiKeys == ["a", "b"])
        #expect(options.reportDelayMilliseconds == 50)
        #expect(options.templateStatus == "PENDING")
        #expect(options.logLevel == .debug)
        #expect(options.simulatorConfiguration.apiKeys == ["a", "b"])
        #expect(!options.logBodies)
        #expect(!options.simulatorConfiguration.logsRequestBodies)
    }

    @Test func helpWinsOverOtherFlags() throws {
        #expect(try CommandLineOptions.parse(["--port", "1", "--help"]) == .help)
    }

    @Test func badFlagsNameTheFlag() {
        let cases: [([String], String)] = [
            (["--port", "1", "--verbose"], "--verbose"),
            (["--port"], "--port"),
            (["--port", "70000"], "--port"),
            (["--port", "1", "--report-delay-ms", "-5"], "--report-delay-ms"),
            (["--port", "1", "--template-status", "PAUSED"], "--template-status"),
            (["--port", "1", "--log-level", "loud"], "--log-level"),
            (["--port", "1", "--log-bodies", "maybe"], "--log-bodies"),
            (["--port", "1", "--exit-on-stdin-close=on"], "--exit-on-stdin-close"),
            (["--host", "127.0.0.1"], "--port"),
        ]
        for (arguments, flag) in cases {
            do {
                _ = try CommandLineOptions.parse(arguments)
                Issue.record("\(arguments) parsed without error")
            } catch {
                #expect(error.code == .invalidArgument, "\(arguments)")
                #expect(error.message.contains(flag), "\(arguments): \(error.message)")
            }
        }
    }

    @Test func logBodiesTakesOnAndOff() throws {
        for (setting, expected) in [("on", true), ("off", false)] {
            let command = try CommandLineOptions.parse(["--port", "0", "--log-bodies", setting])
            guard case .run(let options) = command else {
                Issue.record("expected run, got \(command)")
                continue
            }
            #expect(options.logBodies == expected, "--log-bodies \(setting)")
        }
    }

    @Test func usageListsLogBodies() {
        #expect(CommandLineOptions.usage.contains("--log-bodies on|off"))
    }

    @Test func exitOnStdinCloseTakesNoValue() throws {
        let command = try CommandLineOptions.parse(["--exit-on-stdin-close", "--port", "0"])
        guard case .run(let options) = command else {
            Issue.record("expected run, got \(command)")
            return
        }
        #expect(options.exitsOnStandardInputClose)
        #expect(options.port == 0)
    }

    @Test func usageListsExitOnStdinClose() {
        #expect(CommandLineOptions.usage.contains("--exit-on-stdin-close"))
    }

    /// The help text is where users learn the behaviour document, so it names every behaviour,
    /// member and report kind the simulator accepts.
    @Test func helpListsEveryBehaviour() {
        for kind in SenderBehavior.Kind.allCases {
            #expect(CommandLineOptions.usage.contains(kind.rawValue), "\(kind.rawValue)")
        }
        for member in SenderBehavior.fieldNames {
            #expect(CommandLineOptions.usage.contains(member), "\(member)")
        }
        for report in SenderBehavior.Report.allCases {
            #expect(CommandLineOptions.usage.contains(report.rawValue), "\(report.rawValue)")
        }
    }
}
