public import Crypto
public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `wabarouter serve` child process on a free loopback port, for tests that need a real
/// process: one they can kill with SIGKILL, or several instances sharing one database.
///
/// The binary comes from `WABAROUTER_BIN_DIR`, which `make test` sets to SwiftPM's build folder,
/// else from `.build/debug` of this package. The server runs with `EXIT_ON_STDIN_CLOSE=true`
/// and a pipe on its standard input whose write end only this process has open, so it stops
/// when the test process exits, even when the test process is killed. Its standard error, one JSON
/// log line per record, goes to a file that ``logRecords()`` reads.
public final class WabaRouterProcess: Sendable {
    public let port: Int
    /// Process id of the server.
    public let pid: Int32
    /// File that receives the server's standard error.
    public let logFile: URL
    private let outputFile: URL
    private let process: Process
    /// Kept open for the server's lifetime; closing it, or this process exiting, stops it.
    private let standardInput: Pipe

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Whether the server process has not exited yet.
    public var isRunning: Bool { process.isRunning }

    /// The exit status, or the number of the signal that ended the process; valid once
    /// ``isRunning`` is false.
    public var terminationStatus: Int32 { process.terminationStatus }

    private init(port: Int, process: Process, standardInput: Pipe, logFile: URL, outputFile: URL) {
        self.port = port
        self.pid = process.processIdentifier
        self.process = process
        self.standardInput = standardInput
        self.logFile = logFile
        self.outputFile = outputFile
    }

    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGTERM)
        }
        try? standardInput.fileHandleForWriting.close()
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(at: outputFile)
    }

    /// Starts `wabarouter serve` and waits until `GET /healthz` returns 200.
    ///
    /// A free port can be taken by another process between the look-up and the bind, so a
    /// server that exits during start-up is started again on another port, up to three times.
    ///
    /// - Parameters:
    ///   - databaseURL: `DATABASE_URL`; the server applies pending migrations on start.
    ///   - secretKey: `SECRET_KEY` as 64 hexadecimal characters; instances sharing a database
    ///     need the same one.
    ///   - publicURL: `PUBLIC_URL`; defaults to the server's own loopback URL.
    ///   - environment: Further variables, such as `DISPATCH_LEASE_SECONDS`; they override the
    ///     defaults set here (`HOST=127.0.0.1`, `LOG_LEVEL=info`).
    ///   - timeout: How long one start may take before the process is killed.
    public static func start(
        databaseURL: String,
        secretKey: String = TestServer.sharedSecretKey.hex,
        publicURL: String? = nil,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(30)
    ) async throws -> WabaRouterProcess {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = FreePort.find()
            var variables = [
                "DATABASE_URL": databaseURL,
                "SECRET_KEY": secretKey,
                "PORT": String(port),
                "HOST": "127.0.0.1",
                "PUBLIC_URL": publicURL ?? "http://127.0.0.1:\(port)",
                "LOG_LEVEL": "info",
                "EXIT_ON_STDIN_CLOSE": "true",
            ]
            variables.merge(environment) { _, new in new }
            let server = try launch(port: port, environment: variables)
            do {
                try await server.waitUntilHealthy(timeout: timeout)
                return server
            } catch {
                lastError = error
                await server.stop()
            }
        }
        throw lastError ?? SimulatorError("wabarouter serve did not start")
    }

    /// Runs `wabarouter tenant create --name NAME` against the database and returns the API
    /// key it prints as its last line. Migrations must be applied already, for example by a
    /// running server.
    public static func createTenant(databaseURL: String, name: String) async throws -> String {
        let result = try await run(
            ["tenant", "create", "--name", name],
            environment: ["DATABASE_URL": databaseURL]
        )
        let lines = result.output.split(separator: "\n")
        guard result.status == 0, let key = lines.last, key.hasPrefix("wr_") else {
            throw SimulatorError(
                "wabarouter tenant create exited with \(result.status): \(result.errors)"
            )
        }
        return String(key)
    }

    /// Runs a `wabarouter` command to its end, for at most `timeout`, and returns its exit
    /// status, standard output and standard error.
    public static func run(
        _ arguments: [String],
        environment: [String: String],
        timeout: Duration = .seconds(30)
    ) async throws -> (status: Int32, output: String, errors: String) {
        let directory = FileManager.default.temporaryDirectory
        let name = "wabarouter-command-\(UUID().uuidString.lowercased())"
        let outputFile = directory.appendingPathComponent("\(name).out")
        let errorFile = directory.appendingPathComponent("\(name).err")
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let process = Process()
        process.executableURL = binaryURL()
        process.arguments = arguments
        process.environment = baseEnvironment().merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try writableFile(outputFile)
        process.standardError = try writableFile(errorFile)
        try process.run()
        guard await waitForExit(process, timeout: timeout) else {
            Glibc.kill(process.processIdentifier, SIGKILL)
            throw SimulatorError("wabarouter \(arguments.joined(separator: " ")) timed out")
        }
        return (
            process.terminationStatus,
            (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        )
    }

    /// Sends `signal` to the server process.
    public func kill(signal: Int32) {
        Glibc.kill(pid, signal)
    }

    /// Closes the write end of the pipe on the server's standard input.
    public func closeStandardInput() {
        try? standardInput.fileHandleForWriting.close()
    }

    /// Sends SIGTERM and waits for the exit, for at most `timeout`, then sends SIGKILL and
    /// waits again. Returns the exit status.
    @discardableResult
    public func stop(timeout: Duration = .seconds(30)) async -> Int32 {
        if process.isRunning {
            kill(signal: SIGTERM)
        }
        if await !waitForExit(timeout: timeout) {
            kill(signal: SIGKILL)
            _ = await waitForExit(timeout: .seconds(10))
        }
        closeStandardInput()
        return process.terminationStatus
    }

    /// Waits for the process to exit, for at most `timeout`, and returns whether it did.
    public func waitForExit(timeout: Duration) async -> Bool {
        await Self.waitForExit(process, timeout: timeout)
    }

    /// The server's standard error as written so far.
    public var logText: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// The server's standard output as written so far, such as the key of the `default`
    /// tenant that the first instance on a database prints.
    public var outputText: String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    /// Returns every JSON log record written so far, oldest first, leaving out lines that are
    /// not JSON objects. Every value of a record is a string.
    public func logRecords() -> [[String: String]] {
        logText.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8))
            return object as? [String: String]
        }
    }

    /// Returns the log records whose message starts with `prefix`.
    public func logRecords(messagePrefix prefix: String) -> [[String: String]] {
        logRecords().filter { $0["message"]?.hasPrefix(prefix) == true }
    }

    /// Returns the instance id that the server logged when it started.
    public func instanceID() throws -> String {
        let started = logRecords(messagePrefix: "wabarouter started").first
        guard let id = started?["instanceId"] else {
            throw SimulatorError("no 'wabarouter started' line with an instanceId in \(logFile)")
        }
        return id
    }

    private static func launch(port: Int, environment: [String: String]) throws
        -> WabaRouterProcess
    {
        let directory = FileManager.default.temporaryDirectory
        let name = "wabarouter-\(port)-\(UUID().uuidString.lowercased())"
        let logFile = directory.appendingPathComponent("\(name).log")
        let outputFile = directory.appendingPathComponent("\(name).out")
        let process = Process()
        process.executableURL = binaryURL()
        process.arguments = ["serve"]
        process.environment = baseEnvironment().merging(environment) { _, new in new }
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = try writableFile(outputFile)
        process.standardError = try writableFile(logFile)
        try process.run()
        return WabaRouterProcess(
            port: port,
            process: process,
            standardInput: input,
            logFile: logFile,
            outputFile: outputFile
        )
    }

    private func waitUntilHealthy(timeout: Duration) async throws {
        let client = HTTPTestClient(baseURL: baseURL, timeout: 2)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw SimulatorError(
                    "wabarouter serve exited with \(process.terminationStatus) during start-up: "
                        + logText.suffix(2000)
                )
            }
            if let response = try? await client.send("GET", "/healthz", body: nil),
                response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SimulatorError("wabarouter serve did not answer /healthz within \(timeout)")
    }

    private static func waitForExit(_ process: Process, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }

    /// Returns the variables every child gets, which is only `PATH`, so that no proxy or
    /// database setting of the test process reaches the server.
    private static func baseEnvironment() -> [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }

    private static func writableFile(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SimulatorError("cannot create \(url.path)")
        }
        return try FileHandle(forWritingTo: url)
    }

    private static func binaryURL() -> URL {
        if let directory = ProcessInfo.processInfo.environment["WABAROUTER_BIN_DIR"],
            !directory.isEmpty
        {
            return URL(fileURLWithPath: directory).appendingPathComponent("wabarouter")
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent(".build/debug/wabarouter")
    }
}
