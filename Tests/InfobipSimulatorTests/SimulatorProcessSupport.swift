import Foundation
import HTTPServer
import Logging
import Synchronization
import Testing

@testable import InfobipSimulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A running `infobip-sim` process, found in `WABAROUTER_BIN_DIR` or else in this package's
/// `.build/debug`. Call ``stop()`` when done; the process is also killed on deinit.
final class SimulatorProcessHandle: Sendable {
    let port: Int
    private let process: Process
    private let standardError: Pipe

    /// The built executable.
    static var executable: URL {
        if let directory = ProcessInfo.processInfo.environment["WABAROUTER_BIN_DIR"],
            !directory.isEmpty
        {
            return URL(fileURLWithPath: directory).appendingPathComponent("infobip-sim")
        }
        // This file is Tests/InfobipSimulatorTests/<name>.swift inside the package.
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/infobip-sim")
    }

    /// Launches the simulator with `arguments` after `--port 0` and waits for its
    /// `listening` line.
    ///
    /// - Parameter standardInput: A pipe for the simulator's standard input. Without it the
    ///   simulator shares this process's standard input.
    static func launch(
        _ arguments: [String] = [],
        standardInput: Pipe? = nil
    ) async throws -> SimulatorProcessHandle {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--port", "0"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        if let standardInput {
            process.standardInput = standardInput
        }
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "no infobip-sim at \(executable.path); run swift build first"
        )
        try process.run()
        let line = await readLine(from: output.fileHandleForReading, orKill: process)
        let parsed = line.flatMap { JSONValue(parsing: Data($0.utf8)) }
        guard parsed?["event"] == "listening", let port = parsed?["port"]?.intValue else {
            process.terminate()
            throw SimulatorError(
                code: .serverStartFailed,
                operation: "launch infobip-sim",
                message: "expected a listening line, got \(line ?? "end of output")"
            )
        }
        return SimulatorProcessHandle(port: port, process: process, standardError: errors)
    }

    /// Runs the executable with `arguments` to its end and returns its exit status and output.
    static func runToEnd(_ arguments: [String]) async throws -> (
        status: Int32, output: String, errors: String
    ) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let texts = await readAll(output.fileHandleForReading, errors.fileHandleForReading)
        await waitForExit(process)
        return (process.terminationStatus, texts.0, texts.1)
    }

    private init(port: Int, process: Process, standardError: Pipe) {
        self.port = port
        self.process = process
        self.standardError = standardError
    }

    var isRunning: Bool {
        process.isRunning
    }

    deinit {
        if process.isRunning {
            process.interrupt()
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Sends SIGTERM, waits for the exit and returns the exit status and standard error.
    @discardableResult
    func stop() async -> (status: Int32, errors: String) {
        if process.isRunning {
            process.terminate()
        }
        let errors = await Self.readAll(standardError.fileHandleForReading, nil).0
        await Self.waitForExit(process)
        return (process.terminationStatus, errors)
    }

    /// Sends a request to the simulator; `apiKey` nil leaves `Authorization` out.
    func request(
        _ method: String,
        _ path: String,
        json: JSONValue? = nil,
        apiKey: String? = "test-key"
    ) async throws -> (status: Int, headers: [String: String], body: JSONValue?) {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = method
        if let apiKey {
            request.setValue("App \(apiKey)", forHTTPHeaderField: "Authorization")
        }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = json.serialized()
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return (http.statusCode, headers, JSONValue(parsing: data))
    }

    /// Reads the first line on a thread of its own, because the read blocks. The process is
    /// killed when no line comes within 30 seconds, which ends the read.
    private static func readLine(from handle: FileHandle, orKill process: Process) async -> String?
    {
        let watchdog = DispatchWorkItem {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        defer { watchdog.cancel() }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty {
                        break
                    }
                    bytes.append(chunk)
                    if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                        bytes = bytes[..<newline]
                        break
                    }
                }
                let text = String(decoding: bytes, as: UTF8.self)
                continuation.resume(returning: text.isEmpty ? nil : text)
            }
        }
    }

    private static func readAll(_ first: FileHandle, _ second: FileHandle?) async -> (
        String, String
    ) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let group = DispatchGroup()
                let results = Mutex(("", ""))
                group.enter()
                DispatchQueue.global().async {
                    let text = String(decoding: first.readDataToEndOfFile(), as: UTF8.self)
                    results.withLock { $0.0 = text }
                    group.leave()
                }
                if let second {
                    group.enter()
                    DispatchQueue.global().async {
                        let text = String(decoding: second.readDataToEndOfFile(), as: UTF8.self)
                        results.withLock { $0.1 = text }
                        group.leave()
                    }
                }
                group.wait()
                continuation.resume(returning: results.withLock { $0 })
            }
        }
    }

    private static func waitForExit(_ process: Process) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }
}

/// A loopback HTTP server that stores every request, standing in for WabaRouter's webhook.
final class ReportReceiver: Sendable {
    private final class Store: Sendable {
        let requests = Mutex<[HTTPRequest]>([])
    }

    let server: HTTPServer
    private let store = Store()

    var port: Int { server.port }

    /// The URL to use as `notifyUrl`.
    var url: String { "http://127.0.0.1:\(port)/infobip/reports" }

    /// Starts the receiver. `statuses` are returned to the first requests in turn, and the
    /// rest get 200.
    init(statuses: [Int] = []) throws {
        let store = self.store
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(host: "127.0.0.1", port: 0),
            logger: Logger(label: "receiver", handler: InMemoryLogHandler()),
            handler: { request in
                let index = store.requests.withLock { requests in
                    requests.append(request)
                    return requests.count - 1
                }
                let status = index < statuses.count ? statuses[index] : 200
                return HTTPResponse(status: status)
            }
        )
        self.server = server
        try server.start()
    }

    var requests: [HTTPRequest] {
        store.requests.withLock { $0 }
    }

    /// Waits until `count` requests arrived, checking every 20 ms for at most `seconds`.
    func waitForRequests(_ count: Int, seconds: Double = 15) async -> [HTTPRequest] {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while requests.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return requests
    }

    func stop() async {
        await server.stop()
    }
}

/// Polls `condition` every 20 ms for at most `seconds` and returns its last result.
func eventually(seconds: Double = 15, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() {
            return true
        }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
