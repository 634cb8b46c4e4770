import CMicroHTTPD
import Foundation
import Logging

/// A started libmicrohttpd daemon and the context its callbacks use.
struct RunningDaemon: Sendable {
    let handle: DaemonHandle
    /// Retained once on behalf of libmicrohttpd until the daemon has stopped.
    let context: DaemonContext
    let port: Int

    /// Runs `MHD_stop_daemon`, which joins libmicrohttpd's threads, on a thread of its own so
    /// that no thread of the cooperative pool blocks.
    func stopOnDedicatedThread() async {
        let handle = self.handle
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                MHD_stop_daemon(handle.pointer)
                continuation.resume()
            }
            thread.name = "HTTPServer.stop"
            thread.start()
        }
    }
}

/// A libmicrohttpd daemon pointer, used only by the ``HTTPServer`` that started it.
struct DaemonHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Validates a configuration and starts a daemon with `MHD_start_daemon_va`.
struct DaemonLauncher {
    let configuration: HTTPServer.Configuration
    let logger: Logger

    func launch(
        handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse
    ) throws(HTTPServerError) -> RunningDaemon {
        var settings = try validatedSettings()
        settings.connectionLimit = reserveFileDescriptors(
            forConnections: settings.connectionLimit,
            threadCount: settings.threadCount
        )
        let context = DaemonContext(
            bodyPolicy: configuration.bodyPolicy,
            spoolDirectory: configuration.spoolDirectory,
            refusalResponse: configuration.refusalResponse,
            logger: logger,
            handler: handler
        )
        let retainedContext = Unmanaged.passRetained(context)
        let daemon = start(settings, context: retainedContext.toOpaque())
        let messages = context.finishStarting()

        guard let daemon else {
            retainedContext.release()
            let detail =
                messages.isEmpty
                ? "libmicrohttpd could not start the daemon"
                : messages.joined(separator: "; ")
            let error = makeError(.startFailed, detail)
            logger.error(
                "HTTP server failed to start",
                ["host": configuration.host, "port": String(configuration.port), "error": detail]
            )
            throw error
        }
        for message in messages {
            logger.warning("libmicrohttpd reported an error", ["detail": message])
        }
        let port = LibraryInfo.boundPort(of: daemon) ?? configuration.port
        return RunningDaemon(handle: DaemonHandle(pointer: daemon), context: context, port: port)
    }

    private struct Settings {
        var address: SocketAddress
        var timeoutSeconds: UInt32
        var threadCount: UInt32
        var connectionLimit: UInt32
    }

    private func validatedSettings() throws(HTTPServerError) -> Settings {
        guard let port = UInt16(exactly: configuration.port) else {
            throw makeError(.invalidConfiguration, "port must be between 0 and 65535")
        }
        guard let address = SocketAddress(host: configuration.host, port: port) else {
            throw makeError(.invalidConfiguration, "host must be a numeric IPv4 or IPv6 address")
        }
        guard configuration.maxBodyBytes >= 0 else {
            throw makeError(.invalidConfiguration, "maxBodyBytes must not be negative")
        }
        guard let threadCount = UInt32(exactly: configuration.threadCount), threadCount >= 1
        else {
            throw makeError(.invalidConfiguration, "threadCount must be at least 1")
        }
        guard let connectionLimit = UInt32(exactly: configuration.connectionLimit),
            connectionLimit >= threadCount
        else {
            throw makeError(
                .invalidConfiguration,
                "connectionLimit must be at least threadCount and at most \(UInt32.max)"
            )
        }
        let (seconds, attoseconds) = configuration.connectionTimeout.components
        guard seconds >= 0, attoseconds >= 0 else {
            throw makeError(.invalidConfiguration, "connectionTimeout must not be negative")
        }
        let roundedUp = seconds + (attoseconds > 0 ? 1 : 0)
        return Settings(
            address: address,
            timeoutSeconds: UInt32(clamping: roundedUp),
            threadCount: threadCount,
            connectionLimit: connectionLimit
        )
    }

    /// Raises the soft limit on open files so that `connectionLimit` connections, each with a
    /// possible spool file, fit next to the descriptors the rest of the process uses.
    ///
    /// - Returns: The connection limit that fits, lower than `connectionLimit` when the hard
    ///   limit on open files is too low.
    private func reserveFileDescriptors(
        forConnections connectionLimit: UInt32,
        threadCount: UInt32
    ) -> UInt32 {
        let reserved: UInt64 = 256
        let needed = 2 * UInt64(connectionLimit) + reserved
        guard let limit = OpenFileLimit.raiseSoftLimit(to: needed) else {
            logger.warning("Failed to read the open file limit", ["needed": String(needed)])
            return connectionLimit
        }
        guard limit.soft < needed else { return connectionLimit }
        let fitting = limit.soft > reserved ? (limit.soft - reserved) / 2 : 0
        let lowered = UInt32(clamping: max(fitting, UInt64(threadCount)))
        logger.info(
            "Connection limit lowered to fit the open file limit",
            [
                "openFileLimit": String(limit.soft),
                "requestedConnectionLimit": String(connectionLimit),
                "connectionLimit": String(lowered),
            ]
        )
        return lowered
    }

    /// Calls `MHD_start_daemon_va` with the options as (option, value) pairs ending in
    /// `MHD_OPTION_END`, and returns `nil` when libmicrohttpd fails to start.
    private func start(_ settings: Settings, context: UnsafeMutableRawPointer) -> OpaquePointer? {
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        flags |= MHD_USE_ERROR_LOG.rawValue
        // select() cannot watch descriptors at or above FD_SETSIZE (1024), so the server polls
        // with epoll, or poll where epoll does not exist.
        #if os(Linux)
            flags |= MHD_USE_EPOLL.rawValue
        #else
            flags |= MHD_USE_POLL.rawValue
        #endif
        if settings.address.isIPv6 {
            flags |= MHD_USE_IPv6.rawValue
        }
        let logCallback: MHD_LogCallback = libraryLogMessage
        let completedCallback: MHD_RequestCompletedCallback = libraryRequestCompleted
        let accessHandler: MHD_AccessHandlerCallback = libraryAccessHandler

        let contextArgument = OpaquePointer(context)

        return settings.address.withSockaddrPointer { socketAddress in
            // libmicrohttpd reads these values as C varargs, so enums and unsigned ints go as
            // 32-bit integers, and callbacks and contexts as pointers.
            var options: [any CVarArg] = [
                // The logger comes first so that messages written during start reach it too.
                MHD_OPTION.EXTERNAL_LOGGER.rawValue,
                unsafeBitCast(logCallback, to: OpaquePointer.self),
                contextArgument,
                MHD_OPTION.SOCK_ADDR.rawValue,
                socketAddress,
                MHD_OPTION.CONNECTION_TIMEOUT.rawValue,
                settings.timeoutSeconds,
                MHD_OPTION.CONNECTION_LIMIT.rawValue,
                settings.connectionLimit,
                // Strict parsing rejects a request that HTTP/1.1 forbids, such as whitespace
                // between a field name and its colon, with 400, so that no header is dropped
                // silently: a lost Idempotency-Key would let a retry send twice.
                MHD_OPTION.STRICT_FOR_CLIENT.rawValue,
                Int32(1),
                MHD_OPTION.NOTIFY_COMPLETED.rawValue,
                unsafeBitCast(completedCallback, to: OpaquePointer.self),
                contextArgument,
            ]
            if settings.threadCount > 1 {
                options += [MHD_OPTION.THREAD_POOL_SIZE.rawValue, settings.threadCount]
            }
            options.append(MHD_OPTION.END.rawValue)
            return withVaList(options) { arguments in
                MHD_start_daemon_va(
                    flags,
                    UInt16(configuration.port),
                    nil,
                    nil,
                    accessHandler,
                    context,
                    arguments
                )
            }
        }
    }

    private func makeError(_ code: HTTPServerError.Code, _ detail: String) -> HTTPServerError {
        HTTPServerError(
            code: code,
            operation: "start",
            host: configuration.host,
            port: configuration.port,
            detail: detail
        )
    }
}
