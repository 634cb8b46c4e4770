public import Logging

/// The command line of `infobip-sim`.
///
/// `infobip-sim --port N [--host 127.0.0.1] [--api-key KEY]... [--report-delay-ms 200]
/// [--template-status APPROVED] [--log-bodies on] [--log-level info] [--exit-on-stdin-close]`.
/// Each flag with a value also takes the `--flag=value` form.
public struct CommandLineOptions: Sendable, Equatable {
    /// The action that the command line selects.
    public enum Command: Sendable, Equatable {
        /// Run the simulator with these options.
        case run(CommandLineOptions)
        /// Print ``CommandLineOptions/usage`` and exit.
        case help
    }

    /// Address to listen on; default `127.0.0.1`.
    public var host = "127.0.0.1"
    /// TCP port to listen on; 0 picks a free port.
    public var port = 0
    /// Accepted API keys; when empty, any non-empty key is accepted.
    public var apiKeys: [String] = []
    /// Default delay in milliseconds before each report; default 200.
    public var reportDelayMilliseconds = 200
    /// Status of created templates; default `APPROVED`.
    public var templateStatus = "APPROVED"
    /// Minimum level of the JSON log lines on standard error; default `info`.
    public var logLevel: Logger.Level = .info
    /// Whether `GET /simulator/requests` keeps request bodies, true by default
    /// (`--log-bodies on`).
    public var logBodies = true
    /// Whether the simulator stops, as on SIGTERM, once its standard input reaches end of file
    /// (`--exit-on-stdin-close`). False by default.
    public var exitsOnStandardInputClose = false

    public init() {}

    /// The usage text that `--help` prints.
    public static let usage = """
        Usage: infobip-sim --port N [options]

        Simulates Infobip's WhatsApp API on HTTP for tests and sandboxes. Once listening it
        writes {"event":"listening","port":N} to standard output; logs go to standard error.

        Options:
          --port N                 TCP port to listen on; 0 picks a free port (required)
          --host ADDRESS           address to listen on (default 127.0.0.1)
          --api-key KEY            accept this API key; repeat for more keys. Without it any
                                   "Authorization: App <key>" with a non-empty key is accepted
          --report-delay-ms MS     milliseconds before each delivery or seen report, counted
                                   from the previous one (default 200)
          --template-status NAME   status of created templates, such as APPROVED or PENDING
                                   (default APPROVED)
          --log-bodies on|off      whether GET /simulator/requests keeps request bodies
                                   (default on). With off, an entry keeps the method, path,
                                   query, headers and receivedAt, and for template sends
                                   messageCount and senders, which keeps benchmarks lean
          --log-level LEVEL        trace, debug, info, warning or error (default info)
          --exit-on-stdin-close    stop, as on SIGTERM, once standard input reaches end of
                                   file. A parent process that keeps a pipe open on the
                                   simulator's standard input then stops it by exiting, even
                                   when the parent is killed. Off by default
          --help                   print this text and exit

        Control endpoints (no authentication):
          GET    /simulator/requests[?path=P]  every request received, oldest first
          DELETE /simulator/requests           clear that log
          GET    /simulator/reports            every report POST attempted
          GET    /simulator/stats              counts, duplicates and per-sender peak rates
          PUT    /simulator/senders/NUMBER     set how one sender is treated (JSON below)
          GET    /simulator/senders/NUMBER     read it; DELETE resets it to accept

        Sender behaviour document, every member optional:
          behavior            accept (default), senderFault (REJECTED_SENDER), recipientFault
                              (REJECTED_DESTINATION), undeliverable (accepted, then an
                              UNDELIVERABLE report), unauthorized (401), tooManyRequests (429),
                              serverError (500), hang (wait hangSeconds, then accept)
          times               how many more messages or requests get the behaviour before the
                              sender falls back to accept
          reports             reports after acceptance, in order: DELIVERED, SEEN,
                              UNDELIVERABLE, RATE_LIMITED (default [DELIVERED, SEEN])
          reportDelayMs       milliseconds before each report, overriding --report-delay-ms
          hangSeconds         wait of hang, 0 to 3600 (default 30)
          delaySeconds        wait before the 401, 429 or 500 of unauthorized,
                              tooManyRequests or serverError, 0 to 3600 (default 0)
          retryAfterSeconds   Retry-After header of tooManyRequests
          qualityRating, status, currentLimit
                              what GET /whatsapp/1/senders/quality reports for the sender
                              (defaults HIGH, CONNECTED, LIMIT_100K)
        Example: curl -X PUT localhost:9090/simulator/senders/447700900100 \\
                   -d '{"behavior":"senderFault","times":2}'

        """

    /// Parses `arguments`, the command line without the program name.
    public static func parse(_ arguments: [String]) throws(SimulatorError) -> Command {
        var options = CommandLineOptions()
        var sawPort = false
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" {
                return .help
            }
            let flag: String
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            } else {
                flag = argument
            }
            func value() throws(SimulatorError) -> String {
                if let inlineValue {
                    return inlineValue
                }
                guard let next = remaining.popFirst() else {
                    throw invalid("\(flag) needs a value")
                }
                return next
            }
            switch flag {
            case "--exit-on-stdin-close":
                guard inlineValue == nil else { throw invalid("\(flag) takes no value") }
                options.exitsOnStandardInputClose = true
            case "--port":
                options.port = try integer(value(), flag: flag, range: 0...65535)
                sawPort = true
            case "--host":
                options.host = try value()
            case "--api-key":
                let key = try value()
                guard !key.isEmpty else { throw invalid("--api-key needs a non-empty key") }
                options.apiKeys.append(key)
            case "--report-delay-ms":
                options.reportDelayMilliseconds = try integer(
                    value(),
                    flag: flag,
                    range: 0...3_600_000
                )
            case "--template-status":
                let status = try value()
                guard SimulatorConfiguration.templateStatuses.contains(status) else {
                    throw invalid(
                        "--template-status must be one of "
                            + SimulatorConfiguration.templateStatuses.joined(separator: ", ")
                            + ", not \(status)"
                    )
                }
                options.templateStatus = status
            case "--log-bodies":
                let setting = try value()
                switch setting {
                case "on": options.logBodies = true
                case "off": options.logBodies = false
                default: throw invalid("--log-bodies must be on or off, not \(setting)")
                }
            case "--log-level":
                let name = try value()
                guard let level = Logger.Level(name: name) else {
                    throw invalid(
                        "--log-level must be trace, debug, info, warning or error, not \(name)"
                    )
                }
                options.logLevel = level
            default:
                throw invalid("unknown flag \(argument)")
            }
        }
        guard sawPort else {
            throw invalid("--port is required (use --port 0 for a free port)")
        }
        return .run(options)
    }

    /// The simulator settings these options select.
    public var simulatorConfiguration: SimulatorConfiguration {
        SimulatorConfiguration(
            apiKeys: Set(apiKeys),
            reportDelayMilliseconds: reportDelayMilliseconds,
            templateStatus: templateStatus,
            logsRequestBodies: logBodies
        )
    }

    private static func integer(
        _ text: String,
        flag: String,
        range: ClosedRange<Int>
    ) throws(SimulatorError) -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw invalid(
                "\(flag) must be an integer from \(range.lowerBound) to \(range.upperBound), "
                    + "not \(text)"
            )
        }
        return number
    }

    private static func invalid(_ message: String) -> SimulatorError {
        SimulatorError(code: .invalidArgument, operation: "parse arguments", message: message)
    }
}
