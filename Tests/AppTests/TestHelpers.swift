import App
import Foundation
import TestSupport

/// Starts a server and a simulator, builds a scenario, runs `body`, and always stops both.
///
/// Reports follow 400 ms apart by default, so a send's own answer still shows SENT on a busy
/// machine; tests that need reports wait for them.
func withScenario(
    simulatorArguments: [String] = ["--report-delay-ms", "400"],
    infobipTimeout: Duration = .seconds(10),
    dispatch: DispatchConfiguration = TestServer.fastDispatch,
    _ body: (Scenario) async throws -> Void
) async throws {
    let simulator = try SimulatorProcess(arguments: simulatorArguments)
    defer { simulator.stop() }
    let server = try await TestServer.start(infobipTimeout: infobipTimeout, dispatch: dispatch)
    do {
        let scenario = try await Scenario.make(server: server, simulator: simulator)
        try await body(scenario)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

extension Dictionary where Key == String, Value == Any {
    subscript(string key: String) -> String? { self[key] as? String }
    subscript(objects key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    subscript(object key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}

/// Reads a sender's row through the API.
func sender(_ scenario: Scenario, id: String) async throws -> [String: Any] {
    let list = try await scenario.client.send("GET", "/wabas/\(scenario.wabaID)/senders", body: nil)
    return list.json[objects: "senders"].first { $0["id"] as? String == id } ?? [:]
}
