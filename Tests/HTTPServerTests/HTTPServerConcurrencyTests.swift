import Foundation
import HTTPServer
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Counts handlers running at the same time and remembers the highest count.
private struct Concurrency: Sendable {
    var running = 0
    var maxRunning = 0
}

@Suite struct HTTPServerConcurrencyTests {
    @Test func concurrentSlowRequestsAllAnswered() async throws {
        let requestCount = 200
        let concurrency = Shared(Concurrency())
        let server = try TestServer.start(threadCount: 2) { request in
            concurrency.update { state in
                state.running += 1
                state.maxRunning = max(state.maxRunning, state.running)
            }
            try? await Task.sleep(for: .milliseconds(50))
            concurrency.update { $0.running -= 1 }
            return HTTPResponse(status: 200, body: Data(request.path.utf8))
        }
        let session = makeSession(maxConnections: 50)

        let answers = try await withThrowingTaskGroup(of: (Int, Int, String).self) { group in
            for index in 0..<requestCount {
                group.addTask {
                    let (data, response) = try await session.send(server.url("/request/\(index)"))
                    return (index, response.statusCode, String(decoding: data, as: UTF8.self))
                }
            }
            var answers: [Int: (status: Int, body: String)] = [:]
            for try await (index, status, body) in group {
                answers[index] = (status, body)
            }
            return answers
        }

        #expect(answers.count == requestCount)
        for index in 0..<requestCount {
            #expect(answers[index]?.status == 200)
            #expect(answers[index]?.body == "/request/\(index)")
        }
        // More handlers ran at once than libmicrohttpd has threads, so no thread waited for one.
        #expect(concurrency.value.maxRunning > 2)
        #expect(concurrency.value.running == 0)
        session.invalidateAndCancel()
        await server.server.stop()
    }
}
