import CMicroHTTPD
import Foundation

extension DaemonContext {
    /// Handles one access handler call: the request head, a body chunk, or the end of the
    /// request.
    ///
    /// libmicrohttpd calls the access handler first when the head has arrived, then once per
    /// body chunk, then with an empty chunk when the request is complete, and once more after
    /// the connection is resumed. Every call returns without waiting for the handler task.
    func handleAccess(
        connection: OpaquePointer,
        url: UnsafePointer<CChar>?,
        method: UnsafePointer<CChar>?,
        uploadData: UnsafePointer<CChar>?,
        uploadDataSize: UnsafeMutablePointer<Int>,
        requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        guard let slotValue = requestSlot.pointee else {
            return beginRequest(
                connection: connection,
                url: url,
                method: method,
                requestSlot: requestSlot
            )
        }
        let context = Unmanaged<RequestContext>.fromOpaque(slotValue).takeUnretainedValue()
        let chunkSize = uploadDataSize.pointee
        if chunkSize > 0 {
            // The chunk counts as consumed in every case, so that libmicrohttpd never offers
            // it again.
            uploadDataSize.pointee = 0
            let chunk = UnsafeRawBufferPointer(start: uploadData, count: chunkSize)
            return receiveChunk(chunk, of: context)
        }
        return completeRequest(context)
    }

    /// Releases the request's state, which libmicrohttpd holds in `requestSlot`.
    func completeRequestSlot(_ requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        guard let slotValue = requestSlot.pointee else { return }
        requestSlot.pointee = nil
        Unmanaged<RequestContext>.fromOpaque(slotValue).release()
        requestCompleted()
    }

    private func beginRequest(
        connection: OpaquePointer,
        url: UnsafePointer<CChar>?,
        method: UnsafePointer<CChar>?,
        requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        var query: [String: String] = [:]
        for (name, value) in readConnectionValues(connection, kind: .GET_ARGUMENT_KIND) {
            query[name] = value
        }
        let methodName = method.map { String(cString: $0) } ?? ""
        // NOTE: libmicrohttpd hands over the path percent-decoded, so `%2F` reads as a segment
        // separator and `%00` ends the path. Decoding segment by segment instead would need
        // MHD_OPTION_UNESCAPE_CALLBACK, and the query would then have to be decoded here too.
        let path = url.map { String(cString: $0) } ?? "/"
        let fields = readConnectionValues(connection, kind: .HEADER_KIND)
        let context = RequestContext(
            connection: ConnectionHandle(pointer: connection),
            method: methodName,
            path: path,
            query: query,
            headers: HTTPHeaders(fields.map { ($0, HeaderFieldSyntax.trimmed($1)) }),
            remoteAddress: LibraryInfo.clientAddress(of: connection),
            bodyPolicy: bodyPolicy(methodName, path)
        )
        requestSlot.pointee = Unmanaged.passRetained(context).toOpaque()
        requestStarted()

        // libmicrohttpd keeps a name with whitespace before its colon as a field of its own,
        // which no lookup finds, so a retry's Idempotency-Key would be lost without a trace.
        if let name = fields.map(\.0).first(where: { !HeaderFieldSyntax.isValidName($0) }) {
            let response = refusalResponse(
                HTTPServer.Refusal(
                    status: 400,
                    message: "The header field name '\(name)' is not valid: HTTP allows only "
                        + "letters, digits and !#$%&'*+-.^_`|~ in a name, and no whitespace "
                        + "before the colon.",
                    path: path
                )
            )
            context.reject(with: response, responseQueued: true)
            return queue(response, on: connection)
        }

        // Queueing a response before the body arrives makes libmicrohttpd skip
        // "100 Continue" and close the connection after the response instead of reading the
        // body.
        let declared = context.headers["Content-Length"].flatMap(UInt64.init)
        if let declared, declared > UInt64(context.bodyPolicy.maxBytes) {
            logBodyOverLimit(context)
            let response = tooLargeResponse(for: context)
            context.reject(with: response, responseQueued: true)
            return queue(response, on: connection)
        }
        if context.bodyPolicy.spoolsBody {
            do {
                try context.startSpooling(in: spoolDirectory)
            } catch {
                logSpoolFailure(error, context)
                let response = spoolFailureResponse(for: error, path: context.path)
                context.reject(with: response, responseQueued: true)
                return queue(response, on: connection)
            }
        } else if let declared {
            // The reservation is capped because a client may declare a large body and send
            // none.
            context.reserveBody(bytes: min(Int(declared), Self.maxBodyReservation))
        }
        return .YES
    }

    private func receiveChunk(
        _ chunk: UnsafeRawBufferPointer,
        of context: RequestContext
    ) -> MHD_Result {
        switch context.phase {
        case .receiving:
            // A chunk that cannot be stored rejects the body. libmicrohttpd 0.9.75 rejects a
            // response queued while the body is arriving (MHD_queue_response returns MHD_NO),
            // so the response is queued at the end of the body, which is read but not stored.
            switch context.appendBody(chunk) {
            case .appended:
                break
            case .overLimit:
                logBodyOverLimit(context)
                context.reject(
                    with: tooLargeResponse(for: context),
                    responseQueued: false,
                    discardingChunkBytes: chunk.count
                )
            case .writeFailed(let error):
                logSpoolFailure(error, context)
                context.reject(
                    with: spoolFailureResponse(for: error, path: context.path),
                    responseQueued: false,
                    discardingChunkBytes: chunk.count
                )
            }
            return .YES
        case .rejected:
            // A client that keeps sending is cut off without a response once it has sent
            // twice the limit, so that a rejected upload cannot hold a connection forever.
            let discarded = context.discardBody(bytes: chunk.count)
            let maxBytes = context.bodyPolicy.maxBytes
            let (maxDiscarded, overflow) = maxBytes.multipliedReportingOverflow(by: 2)
            guard overflow || discarded <= maxDiscarded else {
                logger.warning(
                    "HTTP request body far over limit, closing connection",
                    requestMetadata(context, ["discardedBytes": String(discarded)])
                )
                return .NO
            }
            return .YES
        case .handling, .responseReady, .responded:
            logger.error(
                "HTTP body chunk arrived after the request ended",
                requestMetadata(context)
            )
            return .NO
        }
    }

    private func completeRequest(_ context: RequestContext) -> MHD_Result {
        let connection = context.connection.pointer
        switch context.phase {
        case .receiving:
            return suspendForHandler(context)
        case .rejected(let response, let responseQueued):
            guard !responseQueued else { return .YES }
            context.setPhase(.rejected(response, responseQueued: true))
            return queue(response, on: connection)
        case .responseReady(let response):
            context.setPhase(.responded)
            return queue(response, on: connection)
        case .handling, .responded:
            // No call is expected in these phases, and there is nothing to queue.
            return .YES
        }
    }

    /// Suspends the connection and runs the handler in a task that resumes it when done.
    private func suspendForHandler(_ context: RequestContext) -> MHD_Result {
        context.beginHandling()
        guard beginSuspension(of: context) else {
            context.setPhase(.responded)
            return queue(stoppingResponse(path: context.path), on: context.connection.pointer)
        }
        MHD_suspend_connection(context.connection.pointer)
        endSuspension()
        let handler = self.handler
        Task {
            // The request is released when the handler returns, before the connection is
            // resumed, so that a spooled body's file is deleted before the response is sent
            // unless the handler kept a reference.
            let response = await handler(context.takeRequest())
            self.handlerFinished(context, response: response)
        }
        return .YES
    }

    /// The maximum body storage, in bytes, reserved up front from a declared `Content-Length`.
    static let maxBodyReservation = 1 << 20

    private func logBodyOverLimit(_ context: RequestContext) {
        logger.debug("HTTP request body over limit", requestMetadata(context))
    }

    private func logSpoolFailure(_ error: SpooledBodyError, _ context: RequestContext) {
        logger.error(
            "HTTP request body could not be spooled",
            requestMetadata(context, ["error": error.description])
        )
    }

    /// Returns the request's method, path, client address and body limit, and the client's
    /// `X-Request-Id` when it sent one.
    private func requestMetadata(
        _ context: RequestContext,
        _ extra: [String: String] = [:]
    ) -> [String: String] {
        var metadata = [
            "method": context.method,
            "path": context.path,
            "remoteAddress": context.remoteAddress ?? "unknown",
            "maxBodyBytes": String(context.bodyPolicy.maxBytes),
        ]
        if let requestID = context.headers["X-Request-Id"] {
            metadata["requestId"] = requestID
        }
        metadata.merge(extra) { _, new in new }
        return metadata
    }

    private func tooLargeResponse(for context: RequestContext) -> HTTPResponse {
        refusalResponse(
            HTTPServer.Refusal(
                status: 413,
                message: "The request body exceeds \(context.bodyPolicy.maxBytes) bytes.",
                path: context.path
            )
        )
    }

    /// Returns 507 when the disk is full, so that the client knows a retry may succeed
    /// later, and 500 for other file errors.
    private func spoolFailureResponse(for error: SpooledBodyError, path: String) -> HTTPResponse {
        let (status, message) =
            error.isOutOfSpace
            ? (507, "The server has no space to store the request body. Retry later.")
            : (500, "The server could not store the request body.")
        return refusalResponse(HTTPServer.Refusal(status: status, message: message, path: path))
    }
}
