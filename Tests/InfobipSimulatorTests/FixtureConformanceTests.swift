import Foundation
import Testing

@testable import InfobipSimulator

/// The folder of Infobip's published example bodies, from `INFOBIP_FIXTURES_DIR`.
let fixtureDirectory = ProcessInfo.processInfo.environment["INFOBIP_FIXTURES_DIR"]
    .flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }

/// Sends Infobip's published request examples to the simulator. The folder of example files
/// comes from `INFOBIP_FIXTURES_DIR`; without it these tests are skipped.
@Suite(.enabled(if: fixtureDirectory != nil, "INFOBIP_FIXTURES_DIR is not set"))
struct FixtureConformanceTests {
    /// Reads the named JSON bodies of the files whose names start with `prefix`. A file ending in
    /// `-all-spec-examples.json` contains an object of many bodies keyed by example name.
    static func bodies(prefix: String) throws -> [(name: String, body: JSONValue)] {
        let directory = try #require(fixtureDirectory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }
            .sorted()
        var bodies: [(name: String, body: JSONValue)] = []
        for name in names {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let value = try #require(JSONValue(parsing: data), "\(name) is not JSON")
            if name.hasSuffix("-all-spec-examples.json") {
                let examples = try #require(value.objectValue, "\(name) is not an object")
                for (example, body) in examples.sorted(by: { $0.key < $1.key }) {
                    bodies.append((name: "\(name): \(example)", body: body))
                }
            } else {
                bodies.append((name: name, body: value))
            }
        }
        return bodies
    }

    @Test func sendExamplesAreAccepted() async throws {
        let bodies = try Self.bodies(prefix: "template-send-request")
        #expect(bodies.count > 30)
        for (name, body) in bodies {
            // A fresh simulator per example: the examples share message ids.
            let simulator = makeSimulator()
            let response = await simulator.call(
                "POST",
                "/whatsapp/1/message/template",
                json: body
            )
            let sent = body["messages"]?.arrayValue ?? []
            let entries = response.body?["messages"]?.arrayValue ?? []
            #expect(
                response.status == 200,
                "\(name): \(response.bodyText)"
            )
            #expect(entries.count == sent.count, "\(name)")
            for (entry, message) in zip(entries, sent) {
                #expect(entry["to"] == message["to"], "\(name)")
                #expect(entry["messageId"] == message["messageId"], "\(name)")
                #expect(entry["status"] == MessageStatus.pendingEnroute, "\(name)")
            }
        }
    }

    @Test func createExamplesAreAccepted() async throws {
        let bodies = try Self.bodies(prefix: "template-create-request")
        #expect(bodies.count >= 6)
        for (name, body) in bodies {
            let simulator = makeSimulator()
            let response = await simulator.call(
                "POST",
                "/whatsapp/2/senders/441134960000/templates",
                json: body
            )
            #expect(
                response.status == 201,
                "\(name): \(response.bodyText)"
            )
            #expect(response.body?["name"] == body["name"], "\(name)")
            #expect(response.body?["category"] == body["category"], "\(name)")
        }
    }
}
