import Foundation
import Logging
import Testing

@testable import HTTPServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What a handler saw of one spooled request.
private struct SpoolObservation: Sendable {
    var bodyWasEmpty = false
    var byteCount: Int?
    var path: String?
    var fileExisted = false
    var permissions: Int?
    var chunkSizes: [Int] = []
    var readerBytes = Data()
    var secondReaderBytes = Data()
}

/// Creates an empty directory for one test's spool files.
private func makeSpoolDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("spool-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    return directory
}

private func spoolFiles(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path)
}

/// Reads a spooled body with a reader of `chunkSize`, returning the bytes and chunk sizes.
private func readChunks(of body: SpooledBody, chunkSize: Int) throws -> (Data, [Int]) {
    var reader = try body.makeReader(chunkSize: chunkSize)
    var bytes = Data()
    var sizes: [Int] = []
    while let chunk = try reader.next() {
        bytes.append(chunk)
        sizes.append(chunk.count)
    }
    return (bytes, sizes)
}

@Suite struct HTTPServerSpoolTests {
    @Test func spooledBodyMatchesUpload() async throws {
        let directory = try makeSpoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let observation = Shared(SpoolObservation())
        let server = try TestServer.start(
            bodyPolicy: { _, _ in .spool(maxBytes: 16 << 20) },
            spoolDirectory: directory
        ) { request in
            guard let spooled = request.spooledBody else { return HTTPResponse(status: 500) }
            let attributes = try? FileManager.default.attributesOfItem(atPath: spooled.path)
            let permissions = (attributes?[.posixPermissions] as? NSNumber)?.intValue
            let (bytes, sizes) = (try? readChunks(of: spooled, chunkSize: 1 << 20)) ?? (Data(), [])
            let (secondBytes, _) = (try? readChunks(of: spooled, chunkSize: 65_536)) ?? (Data(), [])
            observation.update {
                $0.bodyWasEmpty = request.body.isEmpty
                $0.byteCount = spooled.byteCount
                $0.path = spooled.path
                $0.fileExisted = FileManager.default.fileExists(atPath: spooled.path)
                $0.permissions = permissions
                $0.chunkSizes = sizes
                $0.readerBytes = bytes
                $0.secondReaderBytes = secondBytes
            }
            let whole = (try? spooled.readAll()) ?? Data()
            return HTTPResponse(status: 200, body: whole)
        }
        let session = makeSession()
        let upload = randomBody(bytes: 5 << 20)

        let (data, response) = try await session.send(
            server.url("/messages/bulk"),
            method: "POST",
            body: upload
        )
        let seen = observation.value

        #expect(response.statusCode == 200)
        #expect(data == upload)
        #expect(seen.bodyWasEmpty)
        #expect(seen.byteCount == 5 << 20)
        #expect(seen.fileExisted)
        #expect(seen.permissions == 0o600)
        #expect(seen.chunkSizes == [1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20])
        #expect(seen.readerBytes == upload)
        #expect(seen.secondReaderBytes == upload)
        let path = try #require(seen.path)
        #expect(path.hasPrefix(directory.path + "/wabarouter-body-"))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try spoolFiles(in: directory) == [])
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func emptySpooledBodyHasNoChunks() async throws {
        let directory = try makeSpoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestServer.start(
            bodyPolicy: { _, _ in .spool(maxBytes: 1024) },
            spoolDirectory: directory
        ) { request in
            guard let spooled = request.spooledBody else { return HTTPResponse(status: 500) }
            var reader = try? spooled.makeReader()
            let firstChunk = try? reader?.next()
            let status = spooled.byteCount == 0 && firstChunk == .some(nil) ? 204 : 500
            return HTTPResponse(status: status)
        }

        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [
                Data(
                    "POST /messages/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
                        .utf8
                )
            ]
        )

        #expect(responses.first?.status == 204)
        #expect(try spoolFiles(in: directory) == [])
        await server.server.stop()
    }

    @Test func declaredBodyOverSpoolLimitGets413() async throws {
        let directory = try makeSpoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let handled = Shared(0)
        let server = try TestServer.start(
            bodyPolicy: { _, _ in .spool(maxBytes: 64 << 10) },
            spoolDirectory: directory
        ) { request in
            handled.update { $0 += 1 }
            let byteCount = request.spooledBody?.byteCount ?? -1
            return HTTPResponse(status: 200, body: Data(String(byteCount).utf8))
        }
        let session = makeSession()

        let (atLimitData, atLimit) = try await session.send(
            server.url("/messages/bulk"),
            method: "POST",
            body: randomBody(bytes: 64 << 10)
        )
        let (overLimitData, overLimit) = try await session.send(
            server.url("/messages/bulk"),
            method: "POST",
            body: randomBody(bytes: (64 << 10) + 1)
        )

        #expect(atLimit.statusCode == 200)
        #expect(String(decoding: atLimitData, as: UTF8.self) == String(64 << 10))
        #expect(overLimit.statusCode == 413)
        #expect(
            String(decoding: overLimitData, as: UTF8.self)
                == "The request body exceeds 65536 bytes.\n"
        )
        #expect(handled.value == 1)
        #expect(try spoolFiles(in: directory) == [])
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func chunkedBodyOverSpoolLimitGets413() async throws {
        let directory = try makeSpoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let handled = Shared(0)
        let server = try TestServer.start(
            bodyPolicy: { method, _ in
                method == "POST" ? .spool(maxBytes: 1024) : .buffer(maxBytes: 0)
            },
            spoolDirectory: directory
        ) { _ in
            handled.update { $0 += 1 }
            return HTTPResponse(status: 200)
        }
        let chunk = String(repeating: "a", count: 800)
        let chunkedUpload = Data(
            ("POST /messages/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n").utf8
        )

        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [chunkedUpload, RawHTTPConnection.get("/after")]
        )

        #expect(responses.count == 2)
        #expect(responses.first?.status == 413)
        #expect(responses.last?.status == 200)
        #expect(handled.value == 1)
        #expect(try spoolFiles(in: directory) == [])
        await server.server.stop()
    }

    @Test func chunkedBodyWithinSpoolLimitIsSpooled() async throws {
        let directory = try makeSpoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestServer.start(
            bodyPolicy: { _, _ in .spool(maxBytes: 4096) },
            spoolDirectory: directory
        ) { request in
            let body = (try? request.spooledBody?.readAll()) ?? Data()
            return HTTPResponse(status: 200, body: body)
        }
        let first = String(repeating: "a", count: 800)
        let second = String(repeating: "b", count: 300)
        let chunkedUpload = Data(
            ("POST /messages/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "320\r\n\(first)\r\n12c\r\n\(second)\r\n0\r\n\r\n").utf8
        )

        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [chunkedUpload]
        )

        #expect(responses.first?.status == 200)
        #expect(responses.first?.body == Data((first + second).utf8))
        #expect(try spoolFiles(in: directory) == [])
        await server.server.stop()
    }

    @Test func bufferRoutesKeepBodyInMemory() async throws {
        let directory = try makeSpoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestServer.start(
            bodyPolicy: { _, path in
                path == "/messages/bulk" ? .spool(maxBytes: 1 << 20) : .buffer(maxBytes: 1024)
            },
            spoolDirectory: directory
        ) { request in
            let description =
                "body=\(request.body.count) spooled=\(request.spooledBody?.byteCount ?? -1)"
            return HTTPResponse(status: 200, body: Data(description.utf8))
        }
        let session = makeSession()

        let (bufferedData, buffered) = try await session.send(
            server.url("/messages"),
            method: "POST",
            body: randomBody(bytes: 1024)
        )
        let (_, overLimit) = try await session.send(
            server.url("/messages"),
            method: "POST",
            body: randomBody(bytes: 1025)
        )
        let (spooledData, spooled) = try await session.send(
            server.url("/messages/bulk"),
            method: "POST",
            body: randomBody(bytes: 5000)
        )

        #expect(buffered.statusCode == 200)
        #expect(String(decoding: bufferedData, as: UTF8.self) == "body=1024 spooled=-1")
        #expect(overLimit.statusCode == 413)
        #expect(spooled.statusCode == 200)
        #expect(String(decoding: spooledData, as: UTF8.self) == "body=0 spooled=5000")
        #expect(try spoolFiles(in: directory) == [])
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func spoolFileCreationFailureGets500() async throws {
        let missing = FileManager.default.temporaryDirectory
            .appendingPathComponent("spool-test-missing-\(UUID().uuidString)")
        let handled = Shared(0)
        let server = try TestServer.start(
            bodyPolicy: { _, _ in .spool(maxBytes: 1024) },
            spoolDirectory: missing
        ) { _ in
            handled.update { $0 += 1 }
            return HTTPResponse(status: 200)
        }
        let upload = Data(
            ("POST /messages/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: bulk-7\r\n"
                + "Content-Length: 5\r\n\r\nhello").utf8
        )

        let responses = try await RawHTTPConnection.exchange(port: server.port, requests: [upload])
        let record = server.logs.records.first {
            $0.message == "HTTP request body could not be spooled"
        }

        #expect(responses.first?.status == 500)
        #expect(handled.value == 0)
        #expect(record?.level == .error)
        #expect(record?.metadata["requestId"] == "bulk-7")
        #expect(record?.metadata["path"] == "/messages/bulk")
        #expect(record?.metadata["error"]?.contains("spooled request body create failed") == true)
        await server.server.stop()
    }

    @Test func defaultPolicyFollowsMaxBodyBytes() {
        var configuration = HTTPServer.Configuration(maxBodyBytes: 10)
        configuration.maxBodyBytes = 20

        let policy = configuration.bodyPolicy("POST", "/messages/bulk")

        guard case .buffer(let maxBytes) = policy else {
            Issue.record("expected the buffer policy, got \(policy)")
            return
        }
        #expect(maxBytes == 20)
    }
}
