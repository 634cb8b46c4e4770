import Foundation
import Synchronization

/// A libmicrohttpd connection pointer that may cross threads.
///
/// libmicrohttpd keeps a connection alive while its request is suspended, and
/// ``DaemonContext`` resumes each suspended connection exactly once, before the daemon stops.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// The state of one request, from its first access handler call to libmicrohttpd's
/// request-completed callback.
///
/// libmicrohttpd stores an unmanaged, retained reference in the request's `con_cls` slot and
/// the completed callback releases it. The head of the request is read once, on the first call.
final class RequestContext: Sendable {
    /// How far the request has come.
    enum Phase: Sendable {
        /// Body chunks are being appended.
        case receiving
        /// The body exceeded the limit or could not be stored, so later chunks are discarded
        /// and the response is sent instead of calling the handler. `responseQueued` is true
        /// once the response is queued.
        case rejected(HTTPResponse, responseQueued: Bool)
        /// The connection is suspended while the handler task runs.
        case handling
        /// The response waits to be queued once libmicrohttpd resumes the connection.
        case responseReady(HTTPResponse)
        /// A response has been queued.
        case responded
    }

    /// The result of offering one body chunk.
    enum AppendOutcome {
        case appended
        /// The chunk would take the body over the policy's limit, so nothing was stored.
        case overLimit
        /// Writing to the spool file failed, and part of the chunk may have been written.
        case writeFailed(SpooledBodyError)
    }

    private struct State {
        var phase = Phase.receiving
        var body = Data()
        /// The file that receives the body in place of `body` under the spool policy.
        var spoolFile: SpoolFileWriter?
        var discardedBytes = 0
        /// The request, from the end of the body until the handler task takes it.
        var request: HTTPRequest?

        var storedBytes: Int {
            spoolFile?.byteCount ?? body.count
        }
    }

    let connection: ConnectionHandle
    let method: String
    let path: String
    let query: [String: String]
    let headers: HTTPHeaders
    let remoteAddress: String?
    /// The body policy chosen when the request head arrived.
    let bodyPolicy: HTTPServer.BodyPolicy
    private let state = Mutex(State())

    init(
        connection: ConnectionHandle,
        method: String,
        path: String,
        query: [String: String],
        headers: HTTPHeaders,
        remoteAddress: String?,
        bodyPolicy: HTTPServer.BodyPolicy
    ) {
        self.connection = connection
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.bodyPolicy = bodyPolicy
    }

    var phase: Phase {
        state.withLock { $0.phase }
    }

    func setPhase(_ phase: Phase) {
        state.withLock { $0.phase = phase }
    }

    /// Reserves storage for `bytes` of body.
    func reserveBody(bytes: Int) {
        state.withLock { $0.body.reserveCapacity(bytes) }
    }

    /// Creates the temporary file that receives the body from now on.
    func startSpooling(in directory: URL) throws(SpooledBodyError) {
        try state.withLock { (state: inout State) throws(SpooledBodyError) in
            state.spoolFile = try SpoolFileWriter(directory: directory)
        }
    }

    /// Stores a chunk in memory or in the spool file, unless the body would then exceed the
    /// policy's limit.
    func appendBody(_ chunk: UnsafeRawBufferPointer) -> AppendOutcome {
        let maxBytes = bodyPolicy.maxBytes
        return state.withLock { state in
            guard state.storedBytes <= maxBytes - chunk.count else { return .overLimit }
            guard let file = state.spoolFile else {
                state.body.append(contentsOf: chunk)
                return .appended
            }
            do throws(SpooledBodyError) {
                try file.append(chunk)
            } catch {
                return .writeFailed(error)
            }
            return .appended
        }
    }

    /// Drops the stored body, deleting the spool file, and enters
    /// ``Phase/rejected(_:responseQueued:)`` with `response`.
    ///
    /// The stored bytes and `chunkBytes` more count as discarded.
    func reject(
        with response: HTTPResponse,
        responseQueued: Bool,
        discardingChunkBytes chunkBytes: Int = 0
    ) {
        state.withLock { state in
            state.discardedBytes += state.storedBytes + chunkBytes
            state.body = Data()
            state.spoolFile = nil
            state.phase = .rejected(response, responseQueued: responseQueued)
        }
    }

    /// Counts a discarded chunk of a rejected body and returns the bytes discarded so far.
    func discardBody(bytes: Int) -> Int {
        state.withLock { state in
            state.discardedBytes += bytes
            return state.discardedBytes
        }
    }

    /// Moves the received body into the request that ``takeRequest()`` returns, and enters
    /// ``Phase/handling``.
    func beginHandling() {
        state.withLock { state in
            state.phase = .handling
            state.request = HTTPRequest(
                method: method,
                path: path,
                query: query,
                headers: headers,
                body: state.body,
                spooledBody: state.spoolFile?.finish(),
                remoteAddress: remoteAddress
            )
            state.body = Data()
            state.spoolFile = nil
        }
    }

    /// Returns the request that ``beginHandling()`` stored and clears it, so that the request
    /// and its spooled body are released as soon as the handler is done with them.
    func takeRequest() -> HTTPRequest {
        state.withLock { state in
            guard let request = state.request else {
                preconditionFailure("request \(method) \(path) was taken twice or never stored")
            }
            state.request = nil
            return request
        }
    }

    /// Stores the handler's response, or the stop path's 503, unless one is already stored.
    func storeResponse(_ response: HTTPResponse) {
        state.withLock { state in
            guard case .handling = state.phase else { return }
            state.phase = .responseReady(response)
        }
    }
}
