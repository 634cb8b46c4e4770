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
        /// The body exceeded the limit, so later chunks are discarded. `responseQueued` is
        /// true once the 413 response is queued.
        case rejected(responseQueued: Bool)
        /// The connection is suspended while the handler task runs.
        case handling
        /// The response waits to be queued once libmicrohttpd resumes the connection.
        case responseReady(HTTPResponse)
        /// A response has been queued.
        case responded
    }

    private struct State {
        var phase = Phase.receiving
        var body = Data()
        var discardedBytes = 0
    }

    let connection: ConnectionHandle
    let method: String
    let path: String
    let query: [String: String]
    let headers: HTTPHeaders
    let remoteAddress: String?
    private let state = Mutex(State())

    init(
        connection: ConnectionHandle,
        method: String,
        path: String,
        query: [String: String],
        headers: HTTPHeaders,
        remoteAddress: String?
    ) {
        self.connection = connection
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
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

    /// Appends a chunk unless the body would then exceed `maxBytes`, in which case the body
    /// is dropped and the phase becomes ``Phase/rejected(responseQueued:)``.
    func appendBody(_ chunk: UnsafeRawBufferPointer, maxBytes: Int) {
        state.withLock { state in
            guard state.body.count <= maxBytes - chunk.count else {
                state.phase = .rejected(responseQueued: false)
                state.discardedBytes += state.body.count + chunk.count
                state.body = Data()
                return
            }
            state.body.append(contentsOf: chunk)
        }
    }

    /// Counts a discarded chunk of a rejected body and returns the bytes discarded so far.
    func discardBody(bytes: Int) -> Int {
        state.withLock { state in
            state.discardedBytes += bytes
            return state.discardedBytes
        }
    }

    /// Moves the received body into a request and enters ``Phase/handling``.
    func beginHandling() -> HTTPRequest {
        let body = state.withLock { state in
            state.phase = .handling
            let body = state.body
            state.body = Data()
            return body
        }
        return HTTPRequest(
            method: method,
            path: path,
            query: query,
            headers: headers,
            body: body,
            remoteAddress: remoteAddress
        )
    }

    /// Stores the handler's response, or the stop path's 503, unless one is already stored.
    func storeResponse(_ response: HTTPResponse) {
        state.withLock { state in
            guard case .handling = state.phase else { return }
            state.phase = .responseReady(response)
        }
    }
}
