import Foundation
import Testing

@testable import HTTPServer

/// Writes `bytes` through a ``SpoolFileWriter`` in `directory` and returns the finished body.
private func makeSpooledBody(_ bytes: [UInt8], in directory: URL) throws -> SpooledBody {
    let writer = try SpoolFileWriter(directory: directory)
    bytes.withUnsafeBytes { buffer in
        try? writer.append(buffer)
    }
    return writer.finish()
}

@Suite struct SpooledBodyTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("spooled-body-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    }

    private func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func readerReturnsChunksInOrder() throws {
        defer { cleanUp() }
        let body = try makeSpooledBody(Array(0..<10), in: directory)
        var reader = try body.makeReader(chunkSize: 3)

        var chunks: [[UInt8]] = []
        while let chunk = try reader.next() {
            chunks.append(Array(chunk))
        }

        #expect(chunks == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]])
        #expect(try reader.next() == nil)
        #expect(body.byteCount == 10)
    }

    @Test func readersStartAtFirstByte() throws {
        defer { cleanUp() }
        let body = try makeSpooledBody(Array(0..<10), in: directory)
        var first = try body.makeReader(chunkSize: 4)
        _ = try first.next()

        var second = try body.makeReader(chunkSize: 4)
        var copy = first

        #expect(try second.next() == Data([0, 1, 2, 3]))
        #expect(try first.next() == Data([4, 5, 6, 7]))
        #expect(try copy.next() == Data([4, 5, 6, 7]))
        #expect(try body.readAll() == Data(0..<10))
    }

    @Test func releasedBodyDeletesFile() throws {
        defer { cleanUp() }
        var body: SpooledBody? = try makeSpooledBody([1, 2, 3], in: directory)
        let path = try #require(body?.path)
        #expect(FileManager.default.fileExists(atPath: path))

        body = nil

        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func readerKeepsBodyAlive() throws {
        defer { cleanUp() }
        var body: SpooledBody? = try makeSpooledBody([1, 2, 3], in: directory)
        let path = try #require(body?.path)
        var reader = try #require(try body?.makeReader())

        body = nil

        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try reader.next() == Data([1, 2, 3]))
    }

    @Test func abandonedWriterDeletesFile() throws {
        defer { cleanUp() }
        var writer: SpoolFileWriter? = try SpoolFileWriter(directory: directory)
        let path = try #require(writer?.path)
        #expect(FileManager.default.fileExists(atPath: path))

        writer = nil

        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func missingDirectoryFailsCreation() throws {
        defer { cleanUp() }
        let missing = directory.appendingPathComponent("missing")

        #expect {
            _ = try SpoolFileWriter(directory: missing)
        } throws: { error in
            let spoolError = error as? SpooledBodyError
            return spoolError?.operation == .create && spoolError?.errorNumber == ENOENT
        }
    }
}
