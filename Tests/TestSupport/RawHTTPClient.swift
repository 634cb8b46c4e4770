public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Sends one HTTP/1.1 request over a plain loopback socket and reads the whole response.
///
/// Meant for request bodies of megabytes, which the server takes seconds to process.
/// FoundationNetworking's URLSession (Swift 6.3, Linux) keeps a core busy while it waits for
/// such a response. On the two-core development machine it used 2.3 to 2.8 s of CPU time
/// during a 3 s wait for the response to a 2 MB body, which starved the server under test.
public enum RawHTTPClient {
    /// Sends `method path` to `127.0.0.1:port` with `Connection: close` and returns the
    /// response once the server closes the connection.
    ///
    /// - Parameter timeout: Longest wait for each read or write on the socket.
    public static func send(
        port: Int,
        method: String,
        path: String,
        headers: [String: String],
        body: Data,
        timeout: Duration = .seconds(120)
    ) async throws -> TestResponse {
        try await send(
            port: port,
            method: method,
            path: path,
            headerFields: headers.map { (name: $0.key, value: $0.value) },
            body: body,
            timeout: timeout
        )
    }

    /// Sends `method path` with `headerFields` in their order, so a name may appear twice.
    public static func send(
        port: Int,
        method: String,
        path: String,
        headerFields: [(name: String, value: String)],
        body: Data,
        timeout: Duration = .seconds(120)
    ) async throws -> TestResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headerFields {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let request = Data(head.utf8) + body
        let raw = try await withCheckedThrowingContinuation { continuation in
            // Blocking socket calls run on a thread of their own, not on the cooperative pool.
            let thread = Thread {
                continuation.resume(with: Result { try exchange(request, port: port, timeout) })
            }
            thread.start()
        }
        return try parse(raw)
    }

    private static func exchange(_ request: Data, port: Int, _ timeout: Duration) throws -> Data {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SimulatorError("socket() failed with errno \(errno)") }
        defer { close(descriptor) }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, size)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, size)

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw SimulatorError("connecting to port \(port) failed with errno \(errno)")
        }

        try request.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.send(
                    descriptor,
                    buffer.baseAddress! + offset,
                    buffer.count - offset,
                    Int32(MSG_NOSIGNAL)
                )
                guard written > 0 else {
                    throw SimulatorError("writing the request failed with errno \(errno)")
                }
                offset += written
            }
        }

        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count >= 0 else {
                throw SimulatorError("reading the response failed with errno \(errno)")
            }
            guard count > 0 else { return response }
            response.append(contentsOf: chunk[0..<count])
        }
    }

    /// Splits a response into status, headers and body, decoding a chunked body.
    private static func parse(_ raw: Data) throws -> TestResponse {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = raw.range(of: separator) else {
            throw SimulatorError("the response has no end of headers: \(raw.count) bytes")
        }
        let lines = String(decoding: raw[..<end.lowerBound], as: UTF8.self)
            .components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw SimulatorError("the status line is invalid: \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[String(line[..<colon])] = value
        }
        var body = Data(raw[end.upperBound...])
        let encoding = headers.first { $0.key.lowercased() == "transfer-encoding" }?.value
        if encoding?.lowercased() == "chunked" {
            body = try dechunk(body)
        }
        return TestResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: Data) throws -> Data {
        var body = Data()
        var rest = data[...]
        let lineEnd = Data("\r\n".utf8)
        while let end = rest.range(of: lineEnd) {
            let sizeText = String(decoding: rest[..<end.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else {
                throw SimulatorError("the chunk size '\(sizeText)' is invalid")
            }
            guard size > 0 else { break }
            let start = end.upperBound
            body.append(rest[start..<(start + size)])
            rest = rest[(start + size + lineEnd.count)...]
        }
        return body
    }
}
