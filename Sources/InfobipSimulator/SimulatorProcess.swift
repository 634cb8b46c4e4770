import Foundation
import HTTPServer
import Logging
import Synchronization

/// The `infobip-sim` program: parses the command line, serves the simulator over HTTP until
/// SIGTERM or SIGINT (or, with `--exit-on-stdin-close`, the end of standard input), then stops
/// cleanly.
public enum SimulatorProcess {
    /// Runs the program and returns its exit status: 0 after a clean stop or `--help`, 1 when
    /// the server cannot start, 2 for an invalid command line.
    ///
    /// - Parameter arguments: The command line without the program name.
    public static func run(arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        do {
            switch try CommandLineOptions.parse(arguments) {
            case .help:
                writeStandardOutput(CommandLineOptions.usage)
                return 0
            case .run(let parsed):
                options = parsed
            }
        } catch {
            writeStandardError("infobip-sim: \(error.message)\nRun infobip-sim --help for usage.\n")
            return 2
        }
        return await serve(options)
    }

    private static func serve(_ options: CommandLineOptions) async -> Int32 {
        // Reports go only to loopback addresses, so a proxy from the environment must not
        // relay them elsewhere.
        for name in [
            "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
        ] {
            unsetenv(name)
        }
        // A peer that closes its socket early must not end the process through SIGPIPE.
        signal(SIGPIPE, SIG_IGN)

        let logger = Logger(
            label: "infobip-sim",
            level: options.logLevel,
            handler: JSONLineLogHandler(fileDescriptor: 2)
        )
        let simulator = InfobipSimulator(
            configuration: options.simulatorConfiguration,
            logger: logger
        )
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(host: options.host, port: options.port),
            logger: logger.relabeled("infobip-sim.http"),
            handler: { request in await simulator.handle(request) }
        )
        // Taken over before the server starts, so a SIGTERM during start-up is not lost.
        let termination = TerminationSignal()

        do {
            try server.start()
        } catch {
            logger.error(
                "simulator failed to start",
                [
                    "host": options.host, "port": String(options.port),
                    "error": String(describing: error),
                ]
            )
            return 1
        }

        writeStandardOutput("{\"event\":\"listening\",\"port\":\(server.port)}\n")
        logger.info(
            "simulator listening",
            [
                "host": options.host, "port": String(server.port),
                "apiKeys": String(options.apiKeys.count),
                "reportDelayMs": String(options.reportDelayMilliseconds),
                "templateStatus": options.templateStatus,
                "logBodies": options.logBodies ? "on" : "off",
                "exitOnStdinClose": options.exitsOnStandardInputClose ? "on" : "off",
            ]
        )
        if options.exitsOnStandardInputClose {
            termination.watchStandardInput()
        }

        let cause = await termination.wait()
        logger.info("simulator stopping", ["cause": cause])
        simulator.shutdown()
        await server.stop()
        logger.info("simulator stopped")
        return 0
    }

    /// Writes with one unbuffered write, so a reader of the pipe gets the line at once.
    private static func writeStandardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func writeStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Waits for SIGTERM or SIGINT, which it takes over from their default handlers, or for the end
/// of standard input once ``watchStandardInput()`` was called.
private final class TerminationSignal: Sendable {
    private struct State {
        var received: String?
        var waiter: CheckedContinuation<String, Never>?
    }

    private let state = Mutex(State())
    // Written once in init and only kept alive afterwards: a signal source stops when released.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    init() {
        let signals: [(number: Int32, name: String)] = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")]
        sources = signals.map { entry in
            // The default action would end the process before the server stops.
            signal(entry.number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: entry.number, queue: .global())
        }
        for (source, entry) in zip(sources, signals) {
            source.setEventHandler { [weak self] in self?.deliver(entry.name) }
            source.resume()
        }
    }

    /// Makes the end of standard input stop the simulator like a signal, so a parent process
    /// that keeps a pipe open on it stops the simulator by exiting, however it exits.
    func watchStandardInput() {
        StandardInputWatcher.start { [weak self] in self?.deliver("end of standard input") }
    }

    /// Returns the name of the first signal received, or `end of standard input`.
    func wait() async -> String {
        await withCheckedContinuation { continuation in
            let received: String? = state.withLock { state in
                if let received = state.received {
                    return received
                }
                state.waiter = continuation
                return nil
            }
            if let received {
                continuation.resume(returning: received)
            }
        }
    }

    private func deliver(_ name: String) {
        let waiter: CheckedContinuation<String, Never>? = state.withLock { state in
            guard state.received == nil else { return nil }
            state.received = name
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: name)
    }
}
