import Foundation

/// A pull parser for one JSON document (RFC 8259) that arrives in chunks, for request bodies
/// too large to hold in memory.
///
/// The caller walks the document with ``beginObject()`` and ``nextMember()``, or
/// ``beginArray()`` and ``nextElement()``, and reads or skips each value it reaches with
/// ``readValue()`` or ``skipValue()``. The parser keeps only the current chunk, the value being
/// read, a scratch buffer as large as the longest string or number so far, and one entry per
/// open container with the member names read in it, so memory stays flat in the number of array
/// elements. It is synchronous, and `read` runs on the caller's thread.
///
/// Every object the parser reads or skips must name each member once. A repeated name throws
/// ``JSONStreamError`` with cause ``JSONStreamError/Cause/duplicateMember`` and the member's
/// path. ``readValue()`` and ``skipValue()`` throw it only after consuming the whole value, and
/// ``nextMember()`` after consuming the name and its `:`, so the caller may go on.
///
/// ```swift
/// var parser = JSONStreamParser(read: { try reader.next() })
/// try parser.beginObject()
/// while let name = try parser.nextMember() {
///     guard name == "messages" else { try parser.skipValue(); continue }
///     try parser.beginArray()
///     while try parser.nextElement() {
///         let message = try parser.readValue()
///     }
/// }
/// try parser.finish()
/// ```
///
/// Calls must follow the document: a value call (``beginObject()``, ``beginArray()``,
/// ``readValue()``, ``skipValue()``, ``peekKind()``) where a value comes next, ``nextMember()``
/// or ``nextElement()`` after each value in the innermost object or array, and ``finish()``
/// after the top-level value. Any other order is a programming error and stops the process.
/// After an error other than a repeated member name, every call throws that error again.
struct JSONStreamParser {
    /// The JSON type of a value, known from its first byte.
    enum Kind: Equatable, Sendable {
        case object
        case array
        case string
        case number
        case bool
        case null
    }

    private enum Container {
        case object
        case array
    }

    /// One step of the path from the top of the document to a value.
    private enum PathComponent {
        case member(String)
        case index(Int)
    }

    /// An object or array opened by ``beginObject()`` or ``beginArray()``.
    private struct OpenContainer {
        var kind: Container
        /// The member names read so far, for an object.
        var names: Set<String> = []
        /// The member or element being read, or `nil` before the first.
        var current: PathComponent?
        /// The number of elements reached so far, for an array.
        var elementCount = 0
    }

    /// The part of the document that may come at the current position.
    private enum Expectation {
        /// A value: at the start, after a member name, or after ``nextElement()`` returned true.
        case value
        /// A member or element of the innermost container, or its end. `isFirst` is true right
        /// after the opening bracket.
        case item(isFirst: Bool)
        /// The end of the input, after the top-level value.
        case end
        /// Nothing, because ``finish()`` succeeded.
        case finished
    }

    /// The maximum number of nested objects and arrays, counting the top-level one.
    let maxDepth: Int

    private var lexer: JSONStreamLexer
    private var containers: [OpenContainer] = []
    private var expectation = Expectation.value
    private var failure: JSONStreamError?
    /// The path inside the value that ``readValue()`` or ``skipValue()`` is consuming.
    private var valuePath: [PathComponent] = []
    /// The first repeated member name in that value, thrown once the value is consumed.
    private var pendingDuplicate: JSONStreamError?

    /// Creates a parser that pulls its input from `read`.
    ///
    /// - Parameters:
    ///   - maxDepth: The maximum number of nested objects and arrays, by default 64. Deeper
    ///     documents fail, which bounds the parser's recursion.
    ///   - read: Returns the next chunk of bytes, or `nil` at the end of the input. Empty
    ///     chunks are skipped, and it is not called again after it returns `nil`.
    init(maxDepth: Int = 64, read: @escaping () throws -> Data?) {
        precondition(maxDepth >= 0, "maxDepth must not be negative, not \(maxDepth)")
        self.maxDepth = maxDepth
        self.lexer = JSONStreamLexer(read: read)
    }

    /// The number of input bytes consumed so far.
    var byteOffset: Int {
        lexer.byteOffset
    }

    /// Consumes the `{` that opens the next value.
    ///
    /// - Throws: ``JSONStreamError`` when the next value is not an object or nests deeper than
    ///   ``maxDepth``.
    mutating func beginObject() throws(JSONStreamError) {
        try run { parser throws(JSONStreamError) in try parser.open(.object) }
    }

    /// Consumes the next member name of the innermost object and the `:` after it, or the `}`
    /// that closes the object.
    ///
    /// - Returns: The member name, or `nil` after the closing `}`.
    /// - Throws: ``JSONStreamError``, also for a name the object already has. The value of
    ///   that member comes next.
    mutating func nextMember() throws(JSONStreamError) -> String? {
        try run { parser throws(JSONStreamError) in try parser.advanceToMember() }
    }

    /// Consumes the `[` that opens the next value.
    ///
    /// - Throws: ``JSONStreamError`` when the next value is not an array or nests deeper than
    ///   ``maxDepth``.
    mutating func beginArray() throws(JSONStreamError) {
        try run { parser throws(JSONStreamError) in try parser.open(.array) }
    }

    /// Moves to the next element of the innermost array, or consumes the `]` that closes it.
    ///
    /// - Returns: `true` when an element follows, which the caller must then read or skip, and
    ///   `false` after the closing `]`.
    mutating func nextElement() throws(JSONStreamError) -> Bool {
        try run { parser throws(JSONStreamError) in try parser.advanceToElement() }
    }

    /// Reads the next value whole.
    ///
    /// - Throws: ``JSONStreamError``. When an object in the value repeats a member name, the
    ///   error comes after the whole value is consumed, so the caller may go on with the next.
    mutating func readValue() throws(JSONStreamError) -> JSONValue {
        try run { parser throws(JSONStreamError) in try parser.consumeValue(build: true) }
    }

    /// Checks and skips the next value without building it. A repeated member name inside it
    /// throws as in ``readValue()``.
    mutating func skipValue() throws(JSONStreamError) {
        _ = try run { parser throws(JSONStreamError) in try parser.consumeValue(build: false) }
    }

    /// Returns the type of the next value without consuming it.
    mutating func peekKind() throws(JSONStreamError) -> Kind {
        try run { parser throws(JSONStreamError) in
            parser.requireValuePosition(for: "peekKind()")
            let byte = try parser.valueStart()
            return try parser.kind(of: byte)
        }
    }

    /// Checks that only whitespace follows the top-level value.
    mutating func finish() throws(JSONStreamError) {
        try run { parser throws(JSONStreamError) in
            guard case .end = parser.expectation else {
                parser.misuse("finish()")
            }
            if try parser.lexer.nextSignificantByte() != nil {
                throw parser.lexer.invalid("unexpected data after the top-level value")
            }
            parser.expectation = .finished
        }
    }
}

// MARK: - Document structure

extension JSONStreamParser {
    /// Runs `step`, and stores its error so that every later call throws it again, unless it
    /// is a repeated member name, after which the document's position is still known.
    private mutating func run<Result>(
        _ step: (inout JSONStreamParser) throws(JSONStreamError) -> Result
    ) throws(JSONStreamError) -> Result {
        if let failure {
            throw failure
        }
        do {
            return try step(&self)
        } catch {
            if error.cause != .duplicateMember {
                failure = error
            }
            throw error
        }
    }

    private mutating func open(_ container: Container) throws(JSONStreamError) {
        requireValuePosition(for: container == .object ? "beginObject()" : "beginArray()")
        let byte = try valueStart()
        let (opening, typeName) =
            container == .object
            ? (JSONByte.openBrace, "an object") : (JSONByte.openBracket, "an array")
        guard byte == opening else {
            throw lexer.invalid("expected \(typeName)")
        }
        try checkDepth(containers.count + 1)
        lexer.skipByte()
        containers.append(OpenContainer(kind: container))
        expectation = .item(isFirst: true)
    }

    private mutating func advanceToMember() throws(JSONStreamError) -> String? {
        guard case .item(let isFirst) = expectation, containers.last?.kind == .object else {
            misuse("nextMember()")
        }
        guard var byte = try lexer.nextSignificantByte() else {
            throw lexer.unexpectedEnd()
        }
        if byte == JSONByte.closeBrace {
            lexer.skipByte()
            close()
            return nil
        }
        if !isFirst {
            guard byte == JSONByte.comma else {
                throw lexer.invalid("expected ',' or '}'")
            }
            lexer.skipByte()
            guard let next = try lexer.nextSignificantByte() else {
                throw lexer.unexpectedEnd()
            }
            byte = next
        }
        let nameOffset = lexer.byteOffset
        let name = try memberName(startingWith: byte)
        expectation = .value
        let innermost = containers.count - 1
        let isRepeated = !containers[innermost].names.insert(name).inserted
        containers[innermost].current = .member(name)
        if isRepeated {
            throw JSONStreamError.duplicateMember(path: path(), offset: nameOffset)
        }
        return name
    }

    private mutating func advanceToElement() throws(JSONStreamError) -> Bool {
        guard case .item(let isFirst) = expectation, containers.last?.kind == .array else {
            misuse("nextElement()")
        }
        guard let byte = try lexer.nextSignificantByte() else {
            throw lexer.unexpectedEnd()
        }
        if byte == JSONByte.closeBracket {
            lexer.skipByte()
            close()
            return false
        }
        if !isFirst {
            guard byte == JSONByte.comma else {
                throw lexer.invalid("expected ',' or ']'")
            }
            // A trailing comma fails in the value call that follows, with "expected a value".
            lexer.skipByte()
        }
        let innermost = containers.count - 1
        containers[innermost].current = .index(containers[innermost].elementCount)
        containers[innermost].elementCount += 1
        expectation = .value
        return true
    }

    private mutating func consumeValue(build: Bool) throws(JSONStreamError) -> JSONValue {
        requireValuePosition(for: build ? "readValue()" : "skipValue()")
        valuePath.removeAll(keepingCapacity: true)
        pendingDuplicate = nil
        let value = try parseValue(depth: containers.count + 1, build: build)
        finishValue()
        if let duplicate = pendingDuplicate {
            pendingDuplicate = nil
            throw duplicate
        }
        return value
    }

    /// Pops the innermost container after its closing bracket.
    private mutating func close() {
        containers.removeLast()
        finishValue()
    }

    private mutating func finishValue() {
        expectation = containers.isEmpty ? .end : .item(isFirst: false)
    }

    private func requireValuePosition(for call: String) {
        guard case .value = expectation else {
            misuse(call)
        }
    }

    private func misuse(_ call: String) -> Never {
        let position =
            switch expectation {
            case .value: "a value"
            case .item:
                containers.last?.kind == .object ? "an object member" : "an array element"
            case .end: "the end of the input"
            case .finished: "nothing, because finish() succeeded"
            }
        preconditionFailure(
            "JSONStreamParser.\(call) called at byte \(byteOffset), where \(position) is expected"
        )
    }
}

// MARK: - Values

extension JSONStreamParser {
    /// Parses the value that starts at the next significant byte. `depth` is the nesting level
    /// an object or array starting here would have. Without `build` it only checks the value
    /// and returns `.null`.
    private mutating func parseValue(depth: Int, build: Bool) throws(JSONStreamError) -> JSONValue {
        let byte = try valueStart()
        switch byte {
        case JSONByte.quote:
            let text = try lexer.scanString(build: build)
            return build ? .string(text) : .null
        case JSONByte.openBrace:
            return try parseObject(depth: depth, build: build)
        case JSONByte.openBracket:
            return try parseArray(depth: depth, build: build)
        case JSONByte.minus, JSONByte.zero...JSONByte.nine:
            return .number(try lexer.scanNumber(build: build))
        case JSONByte.lowercaseT:
            try lexer.consumeLiteral(JSONByte.trueLiteral, name: "true")
            return .bool(true)
        case JSONByte.lowercaseF:
            try lexer.consumeLiteral(JSONByte.falseLiteral, name: "false")
            return .bool(false)
        case JSONByte.lowercaseN:
            try lexer.consumeLiteral(JSONByte.nullLiteral, name: "null")
            return .null
        default:
            throw lexer.invalid("expected a value")
        }
    }

    private mutating func parseObject(depth: Int, build: Bool) throws(JSONStreamError)
        -> JSONValue
    {
        try checkDepth(depth)
        lexer.skipByte()
        var members: [String: JSONValue] = [:]
        // A skipped object keeps only its names, to find a repeated one.
        var names: Set<String> = []
        guard var byte = try lexer.nextSignificantByte() else {
            throw lexer.unexpectedEnd()
        }
        if byte == JSONByte.closeBrace {
            lexer.skipByte()
            return build ? .object(members) : .null
        }
        while true {
            let nameOffset = lexer.byteOffset
            let name = try memberName(startingWith: byte)
            let isRepeated = build ? members[name] != nil : !names.insert(name).inserted
            if isRepeated && pendingDuplicate == nil {
                let path = path(appending: .member(name))
                pendingDuplicate = JSONStreamError.duplicateMember(path: path, offset: nameOffset)
            }
            valuePath.append(.member(name))
            let value = try parseValue(depth: depth + 1, build: build)
            valuePath.removeLast()
            if build {
                members[name] = value
            }

            guard let separator = try lexer.nextSignificantByte() else {
                throw lexer.unexpectedEnd()
            }
            if separator == JSONByte.closeBrace {
                lexer.skipByte()
                return build ? .object(members) : .null
            }
            guard separator == JSONByte.comma else {
                throw lexer.invalid("expected ',' or '}'")
            }
            lexer.skipByte()
            guard let next = try lexer.nextSignificantByte() else {
                throw lexer.unexpectedEnd()
            }
            byte = next
        }
    }

    private mutating func parseArray(depth: Int, build: Bool) throws(JSONStreamError)
        -> JSONValue
    {
        try checkDepth(depth)
        lexer.skipByte()
        var elements: [JSONValue] = []
        guard let first = try lexer.nextSignificantByte() else {
            throw lexer.unexpectedEnd()
        }
        if first == JSONByte.closeBracket {
            lexer.skipByte()
            return build ? .array(elements) : .null
        }
        var index = 0
        while true {
            valuePath.append(.index(index))
            let element = try parseValue(depth: depth + 1, build: build)
            valuePath.removeLast()
            index += 1
            if build {
                elements.append(element)
            }

            guard let separator = try lexer.nextSignificantByte() else {
                throw lexer.unexpectedEnd()
            }
            if separator == JSONByte.closeBracket {
                lexer.skipByte()
                return build ? .array(elements) : .null
            }
            guard separator == JSONByte.comma else {
                throw lexer.invalid("expected ',' or ']'")
            }
            lexer.skipByte()
        }
    }

    /// Reads a member name that starts with `byte`, which is already known, and the `:` after
    /// it.
    private mutating func memberName(startingWith byte: UInt8) throws(JSONStreamError) -> String {
        guard byte == JSONByte.quote else {
            throw lexer.invalid("expected a member name")
        }
        let name = try lexer.scanString(build: true)
        guard let colon = try lexer.nextSignificantByte() else {
            throw lexer.unexpectedEnd()
        }
        guard colon == JSONByte.colon else {
            throw lexer.invalid("expected ':'")
        }
        lexer.skipByte()
        return name
    }

    /// Returns the path of the current position, such as `messages[2].params`, followed by
    /// `last` when it is given.
    private func path(appending last: PathComponent? = nil) -> String {
        var components = containers.compactMap(\.current) + valuePath
        if let last {
            components.append(last)
        }
        var text = ""
        for component in components {
            switch component {
            case .member(let name):
                text += text.isEmpty ? name : ".\(name)"
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    private func kind(of byte: UInt8) throws(JSONStreamError) -> Kind {
        switch byte {
        case JSONByte.openBrace: .object
        case JSONByte.openBracket: .array
        case JSONByte.quote: .string
        case JSONByte.minus, JSONByte.zero...JSONByte.nine: .number
        case JSONByte.lowercaseT, JSONByte.lowercaseF: .bool
        case JSONByte.lowercaseN: .null
        default: throw lexer.invalid("expected a value")
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONStreamError) {
        guard depth <= maxDepth else {
            throw lexer.invalid("nesting deeper than \(maxDepth)")
        }
    }

    /// Returns the first byte of the next value without consuming it.
    private mutating func valueStart() throws(JSONStreamError) -> UInt8 {
        guard let byte = try lexer.nextSignificantByte() else {
            throw lexer.unexpectedEnd()
        }
        return byte
    }
}
