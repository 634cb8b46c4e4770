import Foundation

/// A running `infobip-sim` process on a free loopback port.
///
/// The binary comes from `WABAROUTER_BIN_DIR`, which `make test` sets to SwiftPM's build folder,
/// else from `.build/debug` of this package.
///
/// The simulator runs with `--exit-on-stdin-close` and a pipe on its standard input whose write
/// end only this process has open, so it stops when the test process exits, even when the test
/// process is killed.
public final class SimulatorProcess: Sendable {
    public let port: Int
    public let client: HTTPTestClient
    private let process: Process
    /// Kept open for the simulator's lifetime; closing it, or this process exiting, stops it.
    private let standardInput: Pipe

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the simulator and waits for its `listening` line.
    public init(arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = Self.binaryURL()
        process.arguments = ["--port", "0", "--exit-on-stdin-close"] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        guard let port = Self.readPort(from: output.fileHandleForReading) else {
            process.terminate()
            throw SimulatorError("infobip-sim exited before printing its listening line")
        }
        self.process = process
        self.standardInput = input
        self.port = port
        self.client = HTTPTestClient(baseURL: "http://127.0.0.1:\(port)")
    }

    deinit {
        if process.isRunning {
            process.terminate()
        }
        try? standardInput.fileHandleForWriting.close()
    }

    /// Stops the process and waits for it to exit.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Sets one sender's behaviour; `behavior` is the JSON document the simulator documents.
    public func configureSender(_ number: String, _ behavior: [String: Any]) async throws {
        let response = try await client.send("PUT", "/simulator/senders/\(number)", json: behavior)
        guard (200..<300).contains(response.status) else {
            throw SimulatorError("configuring sender \(number) failed: \(response.text)")
        }
    }

    /// Every request the simulator received on its Infobip endpoints, oldest first.
    public func requests(path: String? = nil) async throws -> [[String: Any]] {
        let query = path.map { "?path=\($0)" } ?? ""
        let response = try await client.send("GET", "/simulator/requests\(query)", body: nil)
        return (try JSONSerialization.jsonObject(with: response.body)) as? [[String: Any]] ?? []
    }

    /// The `messages` of every template send the simulator received, flattened, oldest first.
    public func sentMessages() async throws -> [[String: Any]] {
        let sends = try await requests(path: "/whatsapp/1/message/template")
        return sends.flatMap { request -> [[String: Any]] in
            let body = request["body"] as? [String: Any]
            return body?["messages"] as? [[String: Any]] ?? []
        }
    }

    private static func binaryURL() -> URL {
        if let directory = ProcessInfo.processInfo.environment["WABAROUTER_BIN_DIR"],
            !directory.isEmpty
        {
            return URL(fileURLWithPath: directory).appendingPathComponent("infobip-sim")
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent(".build/debug/infobip-sim")
    }

    /// Reads standard output until the `{"event":"listening","port":N}` line.
    private static func readPort(from handle: FileHandle) -> Int? {
        var buffer = Data()
        while true {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { return nil }
            buffer.append(chunk)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                guard let data = line.data(using: .utf8),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    object["event"] as? String == "listening",
                    let port = object["port"] as? Int
                else { continue }
                return port
            }
        }
    }
}

public struct SimulatorError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
