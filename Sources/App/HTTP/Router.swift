/// Matches a request's method and path to a handler, and extracts path parameters.
///
/// Patterns are written like `/wabas/:id/senders`: a segment starting with `:` matches any one
/// segment and is handed to the handler under that name. When several patterns match a path,
/// only the ones whose leftmost differing segment is literal count, so `/messages/bulk` is
/// never read as `/messages/:id` with the id `bulk`, whatever the method. A `HEAD` request runs the `GET`
/// handler of its path unless a `HEAD` route was added, and libmicrohttpd sends the headers of
/// that response without its body.
struct Router<Handler: Sendable>: Sendable {
    private struct Route: Sendable {
        var method: String
        var segments: [String]
        var handler: Handler
    }

    private var routes: [Route] = []

    mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let segments = pattern.split(separator: "/").map(String.init)
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    enum Match {
        case found(Handler, parameters: [String: String])
        /// The path exists with other methods, listed for the `Allow` header.
        case methodNotAllowed([String])
        case notFound
    }

    func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/").map(String.init)
        var candidates: [(route: Route, parameters: [String: String])] = []
        for route in routes {
            guard let parameters = Self.parameters(route.segments, segments) else { continue }
            candidates.append((route, parameters))
        }
        let literalPositions = candidates.map { Self.literalPositions($0.route.segments) }
        if let mostLiteral = literalPositions.max(by: { $0.lexicographicallyPrecedes($1) }) {
            candidates = zip(candidates, literalPositions).filter { $1 == mostLiteral }.map(\.0)
        }
        let fallback = method == "HEAD" ? "GET" : method
        for candidateMethod in [method, fallback] {
            if let found = candidates.first(where: { $0.route.method == candidateMethod }) {
                return .found(found.route.handler, parameters: found.parameters)
            }
        }
        var allowed = candidates.map(\.route.method)
        if allowed.contains("GET"), !allowed.contains("HEAD") {
            allowed.append("HEAD")
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    /// Returns 1 for each literal segment of a pattern and 0 for each parameter, so that the
    /// greater list in lexicographic order is the more specific pattern.
    private static func literalPositions(_ pattern: [String]) -> [Int] {
        pattern.map { $0.hasPrefix(":") ? 0 : 1 }
    }

    private static func parameters(_ pattern: [String], _ path: [String]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, path) {
            if expected.hasPrefix(":") {
                parameters[String(expected.dropFirst())] = actual
            } else if expected != actual {
                return nil
            }
        }
        return parameters
    }
}
