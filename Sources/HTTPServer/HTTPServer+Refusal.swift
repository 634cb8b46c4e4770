import Foundation

extension HTTPServer {
    /// A request the server answers itself, without calling the handler.
    public struct Refusal: Sendable, Equatable {
        /// The status the server answers with: 413, 500, 503 or 507.
        public var status: Int
        /// What went wrong and what to do, as a sentence.
        public var message: String
        /// The request's path.
        public var path: String

        public init(status: Int, message: String, path: String) {
            self.status = status
            self.message = message
            self.path = path
        }

        /// The default answer: the message as plain text.
        public static func plainText(_ refusal: Refusal) -> HTTPResponse {
            HTTPResponse(
                status: refusal.status,
                headers: ["Content-Type": "text/plain; charset=utf-8"],
                body: Data((refusal.message + "\n").utf8)
            )
        }
    }
}
